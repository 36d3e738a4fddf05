// The SMS channel: one send function whichever provider the configuration chose (SMS_PROVIDER).
import type { Config } from '../../config.ts';
import { PermanentDeliveryError } from '../errors.ts';
import { sendTwilioSms } from './sms.ts';
import { sendSmsRu } from './smsru.ts';

export type SendSms = (to: string, body: string) => Promise<string>;

export function smsSender(config: Pick<Config, 'smsProvider' | 'twilio' | 'smsru'>): SendSms {
  if (config.smsProvider === 'twilio' && config.twilio) {
    const twilio = config.twilio;
    return (to, body) => sendTwilioSms(twilio, to, body);
  }
  if (config.smsProvider === 'smsru' && config.smsru) {
    const smsru = config.smsru;
    return (to, body) => sendSmsRu(smsru, to, body);
  }
  return async () => { throw new PermanentDeliveryError('SMS is not configured (TWILIO_* or SMSRU_API_ID unset)'); };
}
