// Phone numbers and SMS: numbers parsed to E.164 with libphonenumber at booking (the visitor's
// country, locale region or zone as the default region), unusable ones refused with a 400 that
// names the field, and SMS.ru as the second provider behind the SMS channel (a local fake that
// follows its documented API and error codes), chosen by SMS_PROVIDER.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeSmsRu } from '../fakes/smsru.ts';
import { FakeTwilio } from '../fakes/twilio.ts';
import { DAY, T0, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { defaultRegion, parsePhone } from '../../server/phone/number.ts';
import { sendSmsRu } from '../../server/notifications/channels/smsru.ts';
import { smsSender } from '../../server/notifications/channels/sms-provider.ts';
import { PermanentDeliveryError } from '../../server/notifications/errors.ts';
import { startNotifications } from '../../server/notifications/runtime.ts';
import { loadConfig, ConfigError } from '../../server/config.ts';
import { silentLog } from './support.ts';

describe('phone numbers (pure)', () => {
  // The ten samples the issue measured, with what libphonenumber makes of them.
  const samples: [string, string | undefined, string | null][] = [
    ['+49 170 1234567', undefined, '+491701234567'],
    ['8 (916) 123-45-67', 'RU', '+79161234567'],
    ['8 (916) 123-45-67', undefined, null],
    ['+7 916 123 45 67', 'DE', '+79161234567'],
    ['0170 1234567', 'DE', '+491701234567'],
    ['(202) 555-0100', 'US', '+12025550100'],
    ['+44 7911 123456', undefined, '+447911123456'],
    ['+1 555 1234', undefined, null],
    ['12345', 'DE', null],
    ['+380 50 123 4567', 'RU', '+380501234567'],
  ];
  for (const [text, region, e164] of samples) {
    test(`${text} in ${region ?? 'no region'} -> ${e164 ?? 'refused'}`, () => {
      assert.equal(parsePhone(text, region as never)?.e164 ?? null, e164);
    });
  }

  test('landlines and toll-free lines are told apart from mobiles', () => {
    assert.equal(parsePhone('+49 30 1234567', undefined)?.smsCapable, false);
    assert.equal(parsePhone('+1 800 555 0100', undefined)?.smsCapable, false);
    assert.equal(parsePhone('+49 170 1234567', undefined)?.smsCapable, true);
    assert.equal(parsePhone('+1 202 555 0100', undefined)?.smsCapable, true, 'US numbers may be either: given the benefit of the doubt');
  });

  test('default region: explicit country, then locale region, then time zone, then the server default', () => {
    assert.equal(defaultRegion({ country: 'at', locale: 'de-DE', timezone: 'Europe/Berlin' }, null), 'AT');
    assert.equal(defaultRegion({ locale: 'de-CH', timezone: 'Europe/Berlin' }, null), 'CH');
    assert.equal(defaultRegion({ locale: 'ru', timezone: 'Europe/Moscow' }, null), 'RU');
    assert.equal(defaultRegion({ locale: 'en', timezone: 'UTC' }, 'DE'), 'DE');
    assert.equal(defaultRegion({ locale: 'en', timezone: 'UTC' }, null), undefined);
  });
});

describe('phone numbers at booking', () => {
  const clock = new TestClock(T0);
  let t: TestApp;
  let twilio: FakeTwilio;
  let p: Practice;
  let day = 1;
  const post = async (visitor: Record<string, unknown>) => {
    const body = bookingBody({ specialist: p.specialist.id, service: p.service.id }, T0 + (day++) * DAY + 10 * 3600_000);
    const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...body, visitor: { ...body.visitor, ...visitor } } });
    return { status: res.statusCode, body: res.json() };
  };

  before(async () => {
    twilio = await new FakeTwilio().start();
    t = await startTestApp({ clock, env: { ...twilio.env(), RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
    p = await addPractice(t.database.db, { timezone: 'Europe/Berlin' });
  });
  after(async () => { await t.close(); await twilio.stop(); });

  test('a number with spaces is stored in E.164 and gets its SMS reminders', async () => {
    const res = await post({ phone: '+49 170 1234567' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.visitor.phone, '+491701234567');
    const sms = await t.database.db.selectFrom('notifications').select(['kind', 'recipient']).where('booking_id', '=', res.body.id).where('channel', '=', 'sms').execute();
    assert.ok(sms.length > 0, 'SMS reminders are written');
    assert.ok(sms.every((r) => r.recipient === '+491701234567'));
  });

  test('a national number is read in the visitor\'s zone country', async () => {
    const res = await post({ phone: '8 (916) 123-45-67', timezone: 'Europe/Moscow', locale: 'ru' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.visitor.phone, '+79161234567');
  });

  test('400 naming the field for a number that is no number where the visitor is', async () => {
    const res = await post({ phone: '8 (916) 123-45-67', timezone: 'UTC' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_phone');
    assert.equal(res.body.field, 'body.visitor.phone');
  });

  test('400 for a landline while SMS is on: it could never receive the reminders', async () => {
    const res = await post({ phone: '+49 30 1234567' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'phone_cannot_receive_sms');
    assert.equal(res.body.field, 'body.visitor.phone');
  });
});

describe('SMS.ru', () => {
  let smsru: FakeSmsRu;
  before(async () => { smsru = await new FakeSmsRu().start(); });
  after(() => smsru.stop());
  const cfg = () => ({ apiId: smsru.apiId, from: null, apiUrl: smsru.url });

  test('sends to the number without "+" and returns the sms_id', async () => {
    const id = await sendSmsRu(cfg(), '+79161234567', 'Напоминание');
    assert.equal(smsru.messages.at(-1)?.to, '79161234567');
    assert.equal(smsru.messages.at(-1)?.msg, 'Напоминание');
    assert.equal(smsru.messages.at(-1)?.id, id);
  });

  test('documented error codes: permanent ones fail the row, 220 is retried', async () => {
    await assert.rejects(sendSmsRu({ ...cfg(), apiId: 'WRONG' }, '+79161234567', 'x'), (e: Error) => e instanceof PermanentDeliveryError && /200/.test(e.message));
    await assert.rejects(sendSmsRu({ ...cfg(), from: 'Unknown' }, '+79161234567', 'x'), (e: Error) => e instanceof PermanentDeliveryError && /204/.test(e.message));
    smsru.unreachable.add('79161234568');
    await assert.rejects(sendSmsRu(cfg(), '+79161234568', 'x'), (e: Error) => e instanceof PermanentDeliveryError && /207/.test(e.message));
    smsru.failNext = 1;
    await assert.rejects(sendSmsRu(cfg(), '+79161234567', 'x'), (e: Error) => !(e instanceof PermanentDeliveryError) && /220/.test(e.message));
    await assert.rejects(sendSmsRu(cfg(), '8916', 'x'), PermanentDeliveryError);
  });

  test('SMS_PROVIDER chooses the provider; an approved sender name is passed', async () => {
    const config = loadConfig({ NODE_ENV: 'test', ...smsru.env('Practice'), TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'x', TWILIO_FROM: '+15005550006' });
    assert.equal(config.smsProvider, 'smsru');
    await smsSender(config)('+79161234567', 'Через час');
    assert.equal(smsru.messages.at(-1)?.from, 'Practice');
    assert.equal(loadConfig({ NODE_ENV: 'test', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'x', TWILIO_FROM: '+1' }).smsProvider, 'twilio');
    assert.throws(() => loadConfig({ NODE_ENV: 'test', SMS_PROVIDER: 'smsru' }), ConfigError);
  });

  test('reminders go out through SMS.ru when it is the configured provider', async () => {
    const clock = new TestClock(T0);
    const t = await startTestApp({ clock, env: { ...smsru.env(), RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
    const rt = await startNotifications({ config: t.config, clock, log: silentLog, redisUrl: null, intervalMs: 0 });
    try {
      const p = await addPractice(t.database.db, { timezone: 'Europe/Moscow' });
      const start = T0 + 2 * DAY + 10 * 3600_000;
      const body = bookingBody({ specialist: p.specialist.id, service: p.service.id }, start);
      const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...body, visitor: { ...body.visitor, phone: '8 916 765-43-21', timezone: 'Europe/Moscow', locale: 'ru' } } });
      assert.equal(res.statusCode, 201, res.body);
      const before = smsru.messages.length;
      clock.set(start - 3600_000);
      await rt.poller!.tick();
      const sent = smsru.messages.slice(before);
      assert.ok(sent.length >= 1, 'the due reminders were sent');
      assert.ok(sent.every((m) => m.to === '79167654321'));
      assert.match(sent.at(-1)!.msg, /Через час|Завтра/);
    } finally {
      await rt.close();
      await t.close();
    }
  });
});
