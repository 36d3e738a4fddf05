// SMS through SMS.ru's HTTP API (sms.ru/api/send): POST /sms/send, form-encoded api_id, to (digits
// without "+"), msg (UTF-8), from (an approved sender name, optional), json=1. The answer is
// { status, status_code, sms: { <number>: { status, status_code, sms_id | status_text } }, balance };
// status_code 100 means accepted, anything else is one of SMS.ru's documented error codes.
import { PermanentDeliveryError } from '../errors.ts';
import { isE164 } from '../phone.ts';

export interface SmsRuConfig {
  apiId: string;
  from: string | null;
  apiUrl: string;
}

/**
 * SMS.ru's error codes that a later attempt can get past (service unavailable, server error, the
 * per-minute limit of identical messages, an empty balance the owner may top up). Every other
 * code (bad api_id 200/301, bad number 202, no route 207, stop list 209, sender not approved 204,
 * daily limits 206/230/232, ...) stays as it is: the row fails at once.
 */
const RETRYABLE = new Set([201, 220, 231, 500]);

export const SMSRU_ERRORS: Record<number, string> = {
  200: 'wrong api_id', 201: 'not enough money on the account', 202: 'wrong recipient number', 203: 'no message text',
  204: 'sender name not approved', 205: 'message too long (over 8 SMS)', 206: 'daily message limit reached',
  207: 'no route to this number', 208: 'wrong time parameter', 209: 'number is on the stop list',
  210: 'GET used where POST is required', 211: 'method not found', 212: 'text must be UTF-8',
  213: 'more than 100 numbers', 220: 'service temporarily unavailable', 230: 'daily limit of messages to this number',
  231: 'limit of identical messages to this number per minute', 232: 'limit of identical messages to this number per day',
  300: 'wrong token', 301: 'wrong api_id or login/password', 302: 'account not confirmed', 500: 'server error',
};

interface SmsRuAnswer {
  status?: string;
  status_code?: number;
  status_text?: string;
  sms?: Record<string, { status?: string; status_code?: number; sms_id?: string; status_text?: string }>;
}

function failure(code: number | undefined, text: string | undefined, httpStatus: number): Error {
  const why = `SMS.ru answered ${code ?? `HTTP ${httpStatus}`}: ${text ?? (code !== undefined ? SMSRU_ERRORS[code] : undefined) ?? 'no reason given'}`;
  return code !== undefined && !RETRYABLE.has(code) ? new PermanentDeliveryError(why) : new Error(why);
}

export async function sendSmsRu(smsru: SmsRuConfig, to: string, body: string): Promise<string> {
  if (!isE164(to)) throw new PermanentDeliveryError(`"${to}" is not an E.164 phone number`);
  const number = to.slice(1);
  const form = new URLSearchParams({ api_id: smsru.apiId, to: number, msg: body, json: '1' });
  if (smsru.from) form.set('from', smsru.from);
  const res = await fetch(`${smsru.apiUrl}/sms/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const json = (await res.json().catch(() => ({}))) as SmsRuAnswer;
  // The request itself (api_id, method) failed: one code for the whole answer.
  if (!res.ok || json.status !== 'OK') throw failure(json.status_code, json.status_text, res.status);
  const one = json.sms?.[number];
  if (one?.status === 'OK' && one.sms_id) return one.sms_id;
  throw failure(one?.status_code, one?.status_text, res.status);
}
