// Email through nodemailer: SMTP when SMTP_URL is set; otherwise (MAIL_TRANSPORT=files) each
// message is written as an .eml file into the mail folder (the demo needs no mail server) and its
// path is logged. nodemailer is loaded with the first message, not at start-up.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface MailLog {
  info(obj: object, msg: string): void;
}

export interface MailTransport {
  send(message: SendMailOptions & { messageId: string }): Promise<void>;
  close(): void;
}

/** One nodemailer transport, created on first use; close() before any use creates none. */
function lazyTransport(options: object): { get(): Promise<Transporter>; close(): void } {
  let transport: Promise<Transporter> | null = null;
  return {
    get() {
      transport ??= import('nodemailer').then((m) => m.default.createTransport(options));
      return transport;
    },
    close() { void transport?.then((t) => t.close()); },
  };
}

export function createMailTransport(mail: { smtpUrl: string | null; outboxDir: string }, log: MailLog): MailTransport {
  if (mail.smtpUrl !== null) {
    // Bounded waits: a hung SMTP server must fail the attempt (and release the row) in seconds.
    const transport = lazyTransport({
      url: mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
    } as SMTPTransport.Options & { url: string });
    return {
      async send(message) { await (await transport.get()).sendMail(message); },
      close: transport.close,
    };
  }
  const transport = lazyTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(message) {
      const info = await (await transport.get()).sendMail(message);
      await mkdir(mail.outboxDir, { recursive: true });
      const file = path.join(mail.outboxDir, `${message.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9.@-]/g, '_')}.eml`);
      await writeFile(file, info.message as Buffer);
      log.info({ file, to: message.to }, 'email written to the local mail folder (MAIL_TRANSPORT=files)');
    },
    close: transport.close,
  };
}
