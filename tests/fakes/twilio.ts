// A local stand-in for Twilio's Programmable Messaging REST API, following its documented
// contract: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP basic auth
// (AccountSid:AuthToken) and a form-encoded body (To, From, Body); 201 with the Message resource
// (sid "SM…", status "queued"); errors as { code, message, more_info, status }: 20003 for bad
// credentials (401), 21211 for an invalid To number and 21602 for a missing Body (400).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeServer } from './http.ts';

export interface FakeSms {
  sid: string;
  to: string;
  from: string;
  body: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

export class FakeTwilio extends FakeServer {
  readonly accountSid = `AC${randomBytes(16).toString('hex')}`;
  readonly authToken = randomBytes(16).toString('hex');
  readonly from = '+15005550006';
  readonly messages: FakeSms[] = [];
  /** Answer the next n sends with 503, to exercise retries. */
  failNext = 0;

  /** The env a test app needs to use this fake. */
  env(): Record<string, string> {
    return { TWILIO_ACCOUNT_SID: this.accountSid, TWILIO_AUTH_TOKEN: this.authToken, TWILIO_FROM: this.from, TWILIO_API_URL: this.url };
  }

  private error(res: ServerResponse, status: number, code: number, message: string) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  }

  protected async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return this.error(res, 404, 20404, 'The requested resource was not found');
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected || decodeURIComponent(match[1]) !== this.accountSid) {
      return this.error(res, 401, 20003, 'Authenticate');
    }
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return this.error(res, 400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    const body = form.get('Body') ?? '';
    if (!E164.test(to)) return this.error(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (body === '') return this.error(res, 400, 21602, 'Message body is required.');
    if (this.failNext > 0) {
      this.failNext--;
      return this.error(res, 503, 20500, 'Service unavailable');
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    this.messages.push({ sid, to, from, body });
    const now = new Date().toUTCString().replace('GMT', '+0000');
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      sid, account_sid: this.accountSid, to, from, body, status: 'queued', direction: 'outbound-api',
      num_segments: '1', num_media: '0', api_version: '2010-04-01', date_created: now, date_updated: now, date_sent: null,
      price: null, price_unit: 'USD', error_code: null, error_message: null, messaging_service_sid: null,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
    }));
  }
}
