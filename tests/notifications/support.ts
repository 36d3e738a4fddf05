// Shared fixtures of the notification tests: booking rows written directly (the bookings API is
// built elsewhere), a real SMTP server on loopback, a minimal MIME/iCalendar reader, and waiting.
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../server/db/pool.ts';
import type { BookingStatus, ServiceTerms } from '../../server/db/schema.ts';
import { hashToken, newToken } from '../../server/auth/tokens.ts';
import { writeBookingNotifications, type BookingEvent, type OutboxContext } from '../../server/notifications/outbox.ts';

export const silentLog = { info() {}, warn() {}, error() {} };
export const HOUR = 3_600_000;
export const MIN = 60_000;

/** A specialist and a service; `bookable`: linked, and open 09:00-17:00 every day (for the bookings API). */
export async function seedPractice(db: Db, opts: { specialistZone?: string; video?: boolean; bookable?: boolean } = {}) {
  const slug = `s-${randomBytes(4).toString('hex')}`;
  const specialist = await db.insertInto('specialists')
    .values({ slug, name: 'Dr. Anna Weber', email: `${slug}@practice.test`, timezone: opts.specialistZone ?? 'Europe/Berlin' })
    .returning(['id', 'email']).executeTakeFirstOrThrow();
  const service = await db.insertInto('services')
    .values({ slug: `svc-${slug}`, name: 'Video consultation', duration_min: 50, video_enabled: opts.video ?? true })
    .returning('id').executeTakeFirstOrThrow();
  if (opts.bookable) {
    await db.insertInto('specialist_services').values({ specialist_id: specialist.id, service_id: service.id }).execute();
    await db.insertInto('weekly_hours').values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      specialist_id: specialist.id, weekday, start_time: '09:00', end_time: '17:00',
    }))).execute();
  }
  return { specialistId: specialist.id, specialistEmail: specialist.email, serviceId: service.id, slug };
}

export interface BookingInput {
  start: number;
  status?: BookingStatus;
  visitorName?: string;
  email?: string;
  phone?: string | null;
  zone?: string;
  locale?: string;
  video?: boolean;
}

/** Inserts a booking and, in the same transaction, its outbox rows (what the bookings module does). */
export async function createBooking(db: Db, practice: Awaited<ReturnType<typeof seedPractice>>, input: BookingInput, now: number, ctx?: OutboxContext) {
  const token = newToken('bm');
  const end = input.start + 50 * MIN;
  const terms: ServiceTerms = {
    name: 'Video consultation', durationMin: 50, priceCents: null, currency: null, cancellationPolicy: 'flexible',
    bufferBeforeMin: 0, bufferAfterMin: 0, videoEnabled: input.video ?? true,
  };
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('bookings').values({
      specialist_id: practice.specialistId, service_id: practice.serviceId, status: input.status ?? 'confirmed',
      starts_at: new Date(input.start), ends_at: new Date(end), blocked_from: new Date(input.start), blocked_until: new Date(end),
      visitor_name: input.visitorName ?? 'Jane Roe', visitor_email: input.email ?? 'jane@visitor.test',
      visitor_phone: input.phone ?? null, visitor_timezone: input.zone ?? 'America/New_York', visitor_locale: input.locale ?? 'en',
      service_terms: JSON.stringify(terms), manage_token_hash: hashToken(token),
    }).returning('id').executeTakeFirstOrThrow();
    await writeBookingNotifications(trx, row.id, 'created', now, token, ctx);
    return row.id;
  });
  return { id, token };
}

/** A booking change the way the bookings module makes it: update, then outbox, one transaction. */
export async function changeBooking(db: Db, id: string, event: BookingEvent, now: number, ctx: OutboxContext, moveTo?: number) {
  await db.transaction().execute(async (trx) => {
    const b = await trx.selectFrom('bookings').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (event === 'cancelled' || event === 'declined') {
      await trx.updateTable('bookings').set({ status: 'cancelled', cancelled_at: new Date(now), cancelled_by: 'visitor', cancel_reason: 'Plans <changed>' }).where('id', '=', id).execute();
    } else if (event === 'confirmed') {
      await trx.updateTable('bookings').set({ status: 'confirmed' }).where('id', '=', id).execute();
    } else if (event === 'rescheduled' && moveTo !== undefined) {
      const end = moveTo + (b.ends_at.getTime() - b.starts_at.getTime());
      await trx.insertInto('booking_moves').values({
        booking_id: id, from_starts_at: b.starts_at, from_ends_at: b.ends_at, to_starts_at: new Date(moveTo), to_ends_at: new Date(end), moved_by: 'visitor',
      }).execute();
      await trx.updateTable('bookings').set({ starts_at: new Date(moveTo), ends_at: new Date(end), blocked_from: new Date(moveTo), blocked_until: new Date(end) }).where('id', '=', id).execute();
    }
    await writeBookingNotifications(trx, id, event, now, undefined, ctx);
  });
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server (npm smtp-server) on 127.0.0.1:0; `mode` makes it fail on purpose. */
export async function startSmtp(mode: { reject?: boolean } = {}) {
  const messages: ReceivedMail[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      attempts++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (mode.reject) {
          const err = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
          return callback(err);
        }
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get attempts() { return attempts; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded bodies of a raw MIME message's leaf parts, with their headers. */
export function mimeParts(raw: string): { headers: Record<string, string>; body: string }[] {
  const top = splitHeaders(raw);
  const boundaryOf = (ct: string) => /boundary="?([^";\r\n]+)"?/i.exec(ct)?.[1];
  const walk = (headers: Record<string, string>, body: string): { headers: Record<string, string>; body: string }[] => {
    const boundary = boundaryOf(headers['content-type'] ?? '');
    if (!boundary) return [{ headers, body: decode(headers, body) }];
    return body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).flatMap((part) => {
      const p = splitHeaders(part.replace(/^\r\n/, ''));
      return walk(p.headers, p.body.replace(/\r\n$/, ''));
    });
  };
  return walk(top.headers, top.body);
}

function splitHeaders(text: string) {
  const at = text.indexOf('\r\n\r\n');
  const head = text.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body: text.slice(at + 4) };
}

function decode(headers: Record<string, string>, body: string): string {
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}

/** An independent RFC 5545 reader: unfolds lines, returns properties per component. */
export function parseIcs(text: string): { method?: string; events: Record<string, { params: string; value: string }>[] } {
  if (/[^\r]\n/.test(text)) throw new Error('iCalendar lines must end with CRLF');
  const lines = text.split('\r\n').filter((l) => l !== '');
  const unfolded: string[] = [];
  for (const l of lines) {
    if (Buffer.byteLength(l, 'utf8') > 75) throw new Error(`line longer than 75 octets: ${l}`);
    if (l.startsWith(' ')) unfolded[unfolded.length - 1] += l.slice(1);
    else unfolded.push(l);
  }
  let method: string | undefined;
  const events: Record<string, { params: string; value: string }>[] = [];
  let current: Record<string, { params: string; value: string }> | null = null;
  for (const l of unfolded) {
    const m = /^([A-Z-]+)((?:;[^:]*)?):(.*)$/.exec(l);
    if (!m) throw new Error(`bad content line: ${l}`);
    const [, name, params, value] = m;
    if (name === 'BEGIN' && value === 'VEVENT') current = {};
    else if (name === 'END' && value === 'VEVENT') { events.push(current!); current = null; }
    else if (current) current[name] = { params, value };
    else if (name === 'METHOD') method = value;
  }
  return { method, events };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function uniquePrefix(name: string): string {
  return `bwtest-${name}-${randomBytes(4).toString('hex')}`;
}
