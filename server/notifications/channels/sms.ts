// SMS through Twilio's REST API: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP basic
// auth (Account SID : Auth Token), form-encoded To/From/Body; 201 with the message resource.
import { PermanentDeliveryError } from '../errors.ts';
import { isE164 } from '../phone.ts';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from: string;
  apiUrl: string;
}

export async function sendTwilioSms(twilio: TwilioConfig, to: string, body: string): Promise<string> {
  if (!isE164(to)) throw new PermanentDeliveryError(`"${to}" is not an E.164 phone number`);
  const url = `${twilio.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(twilio.accountSid)}/Messages.json`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams({ To: to, From: twilio.from, Body: body }).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const json = (await res.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
  if (res.ok && json.sid) return json.sid;
  const why = `Twilio answered ${res.status}${json.code ? ` (error ${json.code})` : ''}: ${json.message ?? 'no message'}`;
  // 429 and 5xx are worth retrying; any other 4xx (bad number, auth) will not change by itself.
  if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new PermanentDeliveryError(why);
  throw new Error(why);
}
