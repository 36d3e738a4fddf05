// Owner-written texts: set per kind and locale through the admin API, variables only (unknown
// ones refused), previewed, escaped in HTML, and used by the real sends (SMTP) instead of the
// built-in subject and opening paragraph; deleting one brings the built-in text back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { startNotifications, type NotificationRuntime } from '../../server/notifications/runtime.ts';
import { T0, DAY, HOUR, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { mimeParts, silentLog, startSmtp } from './support.ts';

describe('owner message templates', () => {
  const clock = new TestClock(T0);
  let t: TestApp;
  let rt: NotificationRuntime;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let p: Practice;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const url = '/api/admin/templates/visitor.confirmation/de';

  before(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ clock, env: { SMTP_URL: smtp.url, RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
    rt = await startNotifications({ config: t.config, clock, log: silentLog, redisUrl: null, intervalMs: 0 });
    p = await addPractice(t.database.db);
  });
  after(async () => { await rt?.close(); await t?.close(); await smtp?.close(); });

  test('only the owner; unknown variables and kinds are refused', async () => {
    assert.equal((await t.app.inject({ url: '/api/admin/templates' })).statusCode, 401);
    const list = (await t.app.inject({ url: '/api/admin/templates', headers: admin })).json();
    assert.ok(list.kinds.includes('visitor.confirmation') && list.variables.includes('serviceName'));
    const bad = await t.app.inject({ method: 'PUT', url, headers: admin, payload: { body: 'Hallo {{constructor}}' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'body.body');
    assert.equal((await t.app.inject({ method: 'PUT', url: '/api/admin/templates/visitor.nothing/de', headers: admin, payload: { body: 'x' } })).statusCode, 404);
  });

  test('preview substitutes and escapes; the saved text is what the visitor receives', async () => {
    const texts = { subject: 'Bis bald: {{serviceName}}', body: 'Schön, dass Sie da sind <b>{{ otherName }}</b>.' };
    const preview = await t.app.inject({ method: 'POST', url: `${url}/preview`, headers: admin, payload: texts });
    assert.equal(preview.statusCode, 200, preview.body);
    assert.equal(preview.json().subject, 'Bis bald: Consultation');
    assert.match(preview.json().html, /Schön, dass Sie da sind &lt;b&gt;Dr\. Anna Weber&lt;\/b&gt;\./);
    assert.equal((await t.app.inject({ method: 'PUT', url, headers: admin, payload: texts })).statusCode, 200);

    const res = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, T0 + 2 * DAY + 10 * HOUR, { visitor: { name: 'V', email: 'tpl@visitor.test', timezone: 'Europe/Berlin', locale: 'de' } }) as never });
    assert.equal(res.statusCode, 201, res.body);
    await rt.poller!.tick();
    const mail = smtp.messages.find((m) => m.to.includes('tpl@visitor.test'))!;
    const text = mimeParts(mail.raw).find((x) => x.headers['content-type']?.startsWith('text/plain'))!.body;
    assert.match(text, /Schön, dass Sie da sind <b>Dr\. Test<\/b>\./);
    assert.match(text, /Ihre Zeit:/, 'times and links stay built in');
    assert.match(mail.raw, /Subject: (Bis bald|=\?UTF-8\?)/);

    assert.equal((await t.app.inject({ method: 'DELETE', url, headers: admin })).statusCode, 204);
    const builtIn = (await t.app.inject({ method: 'POST', url: `${url}/preview`, headers: admin })).json();
    assert.match(builtIn.subject, /^Bestätigt/);
  });
});

describe('the console names every message kind', () => {
  test('each kind the server sends has its label in English, German and Russian', async () => {
    const { MESSAGE_KINDS } = await import('../../server/notifications/templates.ts');
    const { loadMessages, t } = await import('../../widget/src/console/i18n.ts');
    for (const locale of ['en', 'de', 'ru']) {
      await loadMessages(locale);
      for (const kind of MESSAGE_KINDS) {
        const key = `kind_${kind}` as Parameters<typeof t>[1];
        assert.doesNotThrow(() => t(locale, key), `${locale}: no label for ${kind}`);
        assert.ok(t(locale, key).length > 0, `${locale}: ${kind}`);
      }
    }
  });
});
