// A local stand-in for SMS.ru's HTTP API (sms.ru/api/send), following its documented contract:
// POST /sms/send with api_id, to (digits, comma-separated, up to 100), msg, optional from, json=1.
// With json=1 the answer is always HTTP 200: { status: "OK", status_code: 100, sms: { <number>:
// { status: "OK", status_code: 100, sms_id } | { status: "ERROR", status_code, status_text } },
// balance }, or for a failed request as a whole { status: "ERROR", status_code, status_text }.
// Codes used here: 200 wrong api_id, 202 wrong number, 203 no text, 204 sender not approved,
// 207 no route (the test's "unreachable" numbers), 220 temporarily unavailable.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeServer, readRequest } from './http.ts';

export interface FakeSmsRuMessage { id: string; to: string; from: string | null; msg: string }

export class FakeSmsRu extends FakeServer {
  readonly apiId = randomBytes(18).toString('hex').toUpperCase();
  readonly senders = new Set(['Practice']);
  readonly messages: FakeSmsRuMessage[] = [];
  /** Numbers (digits) the fake answers 207 for. */
  readonly unreachable = new Set<string>();
  /** Answer the next n requests with 220 (service temporarily unavailable). */
  failNext = 0;
  balance = 100;

  env(from?: string): Record<string, string> {
    return { SMS_PROVIDER: 'smsru', SMSRU_API_ID: this.apiId, SMSRU_API_URL: this.url, ...(from ? { SMSRU_FROM: from } : {}) };
  }

  private answer(res: ServerResponse, body: object) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  protected async handle(req: IncomingMessage, res: ServerResponse) {
    const r = await readRequest(req, this.url);
    if (r.url.pathname !== '/sms/send') return this.answer(res, { status: 'ERROR', status_code: 211, status_text: 'Метод не найден' });
    const form = r.url.searchParams.size > 0 && req.method === 'GET' ? r.url.searchParams : (r.body as URLSearchParams);
    if (!(form instanceof URLSearchParams)) return this.answer(res, { status: 'ERROR', status_code: 210, status_text: 'Используется GET, где необходимо использовать POST' });
    if (form.get('api_id') !== this.apiId) return this.answer(res, { status: 'ERROR', status_code: 200, status_text: 'Неправильный api_id' });
    if (this.failNext > 0) {
      this.failNext--;
      return this.answer(res, { status: 'ERROR', status_code: 220, status_text: 'Сервис временно недоступен, попробуйте чуть позже' });
    }
    const msg = form.get('msg') ?? '';
    if (msg === '') return this.answer(res, { status: 'ERROR', status_code: 203, status_text: 'Нет текста сообщения' });
    const from = form.get('from');
    if (from !== null && !this.senders.has(from)) return this.answer(res, { status: 'ERROR', status_code: 204, status_text: 'Имя отправителя не согласовано с администрацией' });
    const sms: Record<string, object> = {};
    for (const to of (form.get('to') ?? '').split(',')) {
      if (!/^[1-9]\d{6,14}$/.test(to)) sms[to] = { status: 'ERROR', status_code: 202, status_text: 'Неправильно указан номер телефона получателя, либо на него нет маршрута' };
      else if (this.unreachable.has(to)) sms[to] = { status: 'ERROR', status_code: 207, status_text: 'На этот номер нет маршрута для доставки сообщений' };
      else {
        const id = `${randomBytes(3).toString('hex')}-${randomBytes(4).toString('hex')}`;
        this.messages.push({ id, to, from, msg });
        sms[to] = { status: 'OK', status_code: 100, sms_id: id };
      }
    }
    this.answer(res, { status: 'OK', status_code: 100, sms, balance: this.balance });
  }
}
