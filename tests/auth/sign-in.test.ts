// Console sign-in against the real API, PostgreSQL and a real SMTP server: emailed single-use
// links (hashed at rest, short-lived, rate limited per client and per address, no account
// enumeration), pasted credentials and ADMIN_TOKEN exchanged for short-lived sessions, sign-out
// and every way a session ends.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN_TOKEN, TestClock, startTestApp, type TestApp } from '../helpers/app.ts';
import { admin, createSpecialist, expectStatus, issueToken } from '../management/api.ts';
import { mimeParts, startSmtp, waitFor } from '../notifications/support.ts';
import { hashToken } from '../../server/auth/tokens.ts';
import { SESSION_TTL_MS } from '../../server/auth/sessions.ts';
import { LINK_TTL_MS } from '../../server/auth/sign-in.ts';

const clock = new TestClock('2026-12-01T08:00:00Z');
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let ip = 0;

before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ clock, env: { IN_PROCESS_WORKER: 'true', SMTP_URL: smtp.url } });
});
after(async () => {
  await t?.close();
  await smtp?.close();
});

/** Each call from its own client address unless told otherwise, so per-client limits stay out of the way. */
function post(url: string, body: unknown, from = `10.0.${Math.floor(++ip / 250)}.${ip % 250}`): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url, payload: body as object, remoteAddress: from });
}
const withSession = (token: string, method: 'GET' | 'POST' | 'DELETE', url: string) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });

function textOf(raw: string): string {
  return mimeParts(raw).find((p) => p.headers['content-type']?.startsWith('text/plain'))!.body;
}

const mailsTo = (email: string) => smtp.messages.filter((m) => m.to.some((to) => to.toLowerCase() === email.toLowerCase()));

/** Waits for the next sign-in email to `email` and returns its link. */
async function linkFor(email: string, seen = 0): Promise<URL> {
  const mail = await waitFor(`sign-in mail to ${email}`, async () => mailsTo(email)[seen], 15_000);
  return new URL(/(http:\/\/localhost:3000\/console\/\?signin=\S+)/.exec(textOf(mail.raw))![1]);
}

describe('sign-in by email', () => {
  test('a link arrives by email, opens a session once, and is stored only as a hash', async () => {
    const s = await createSpecialist(t, { email: 'Link.Person@Example.com' });
    const sent = expectStatus(await post('/api/auth/sign-in/email', { email: 'link.person@example.com', locale: 'de' }), 202);
    assert.deepEqual(sent, { sent: true, expiresInMin: 15 });
    const link = await linkFor('Link.Person@Example.com');
    const token = link.searchParams.get('signin')!;
    const mail = mailsTo('Link.Person@Example.com')[0];
    assert.match(mail.raw, /Anmeldelink/, 'in the language asked for');

    const stored = await t.app.db.selectFrom('sign_in_links').selectAll().where('specialist_id', '=', s.id).execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0].token_hash, hashToken(token));
    const outbox = await t.app.db.selectFrom('notifications').select('payload').where('kind', '=', 'account.sign_in').execute();
    assert.ok(!JSON.stringify(outbox).includes(token), 'the outbox keeps the token sealed, never in clear');

    const session = expectStatus(await post('/api/auth/sign-in/link', { token }), 200);
    assert.equal(session.role, 'specialist');
    assert.equal(session.specialist.id, s.id);
    assert.match(session.token, /^bcs_/);
    assert.equal(Date.parse(session.expiresAt) - clock.now(), SESSION_TTL_MS);
    const row = await t.app.db.selectFrom('console_sessions').selectAll().where('id', '=', session.id).executeTakeFirstOrThrow();
    assert.equal(row.token_hash, hashToken(session.token));

    const again = await post('/api/auth/sign-in/link', { token });
    assert.equal(expectStatus(again, 400).error, 'invalid_link', 'single use');
    expectStatus(await withSession(session.token, 'GET', '/api/specialist/me'), 200);
  });

  test('a link expires after 15 minutes', async () => {
    await createSpecialist(t, { email: 'late@example.com' });
    expectStatus(await post('/api/auth/sign-in/email', { email: 'late@example.com' }), 202);
    const token = (await linkFor('late@example.com')).searchParams.get('signin')!;
    clock.advance(LINK_TTL_MS + 1000);
    try {
      assert.equal(expectStatus(await post('/api/auth/sign-in/link', { token }), 400).error, 'invalid_link');
    } finally {
      clock.advance(-(LINK_TTL_MS + 1000));
    }
  });

  test('the same answer whether or not the address has an account; nothing is mailed for none', async () => {
    const before = smtp.messages.length;
    const unknown = expectStatus(await post('/api/auth/sign-in/email', { email: 'nobody@example.com' }), 202);
    const wrongRole = expectStatus(await post('/api/auth/sign-in/email', { email: 'late@example.com', role: 'owner' }), 202);
    assert.deepEqual(unknown, wrongRole);
    await new Promise((r) => setTimeout(r, 300));
    await t.app.notifications!.nudge();
    assert.equal(smtp.messages.length, before);
    assert.equal(expectStatus(await post('/api/auth/sign-in/email', { email: 'not an email' }), 400).field, 'body.email');
  });

  test('a link from a booking email opens that booking after sign-in', async () => {
    const s = await createSpecialist(t, { email: 'deep@example.com' });
    const booking = '2b7c4c1e-95a1-4b6f-9f0a-1f2e3d4c5b6a';
    expectStatus(await post('/api/auth/sign-in/email', { email: 'deep@example.com', booking, action: 'join' }), 202);
    const link = await linkFor('deep@example.com');
    assert.equal(link.searchParams.get('booking'), booking);
    assert.equal(link.searchParams.get('action'), 'join');
    assert.ok(s.id);
  });

  test(`at most 5 links per address per 15 minutes, from any client`, async () => {
    await createSpecialist(t, { email: 'flood@example.com' });
    for (let i = 0; i < 5; i++) expectStatus(await post('/api/auth/sign-in/email', { email: 'FLOOD@example.com' }), 202);
    const res = await post('/api/auth/sign-in/email', { email: 'flood@example.com' });
    assert.equal(expectStatus(res, 429).error, 'rate_limited');
    assert.ok(Number(res.headers['retry-after']) > 0);
  });

  test('at most 10 sign-in attempts per client and minute', async () => {
    const from = '192.0.2.77';
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await post('/api/auth/sign-in/key', { key: `not-a-real-key-${i}-xxxxxxxx` }, from)).statusCode);
    assert.deepEqual(codes, [...Array(10).fill(401), 429]);
  });
});

describe('sign-in with a key', () => {
  test('a specialist credential becomes a session; a wrong or revoked one is refused', async () => {
    const s = await createSpecialist(t);
    const credential = await issueToken(t, s.id);
    const session = expectStatus(await post('/api/auth/sign-in/key', { key: credential }), 200);
    assert.deepEqual([session.role, session.method, session.specialist.id], ['specialist', 'credential', s.id]);
    assert.notEqual(session.token, credential);

    assert.equal(expectStatus(await post('/api/auth/sign-in/key', { key: 'spk_wrongwrongwrongwrongwrong' }), 401).error, 'invalid_key');
    const list = expectStatus(await admin(t, 'GET', `/api/admin/specialists/${s.id}/credentials`), 200).credentials;
    expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${s.id}/credentials/${list[0].id}`), 200);
    assert.equal(expectStatus(await post('/api/auth/sign-in/key', { key: credential }), 401).error, 'invalid_key');
  });

  test('ADMIN_TOKEN becomes an owner session that the admin API accepts', async () => {
    const session = expectStatus(await post('/api/auth/sign-in/key', { key: ` ${ADMIN_TOKEN} ` }), 200);
    assert.deepEqual([session.role, session.method, session.specialist], ['owner', 'admin_token', null]);
    expectStatus(await withSession(session.token, 'GET', '/api/admin/specialists'), 200);
    expectStatus(await withSession(session.token, 'GET', '/api/auth/session'), 200);
  });
});

describe('how sessions end', () => {
  const signIn = async () => {
    const s = await createSpecialist(t);
    const session = expectStatus(await post('/api/auth/sign-in/key', { key: await issueToken(t, s.id) }), 200);
    return { s, token: session.token as string, id: session.id as string };
  };

  test('sign-out', async () => {
    const { token } = await signIn();
    expectStatus(await withSession(token, 'POST', '/api/auth/sign-out'), 204);
    expectStatus(await withSession(token, 'GET', '/api/specialist/me'), 401);
    expectStatus(await withSession(token, 'GET', '/api/auth/session'), 401);
  });

  test('after 8 hours', async () => {
    const { token } = await signIn();
    clock.advance(SESSION_TTL_MS);
    try {
      expectStatus(await withSession(token, 'GET', '/api/specialist/me'), 401);
    } finally {
      clock.advance(-SESSION_TTL_MS);
    }
  });

  test('from another browser of the same account, and only there', async () => {
    const { s, token } = await signIn();
    const credential = await issueToken(t, s.id);
    const other = expectStatus(await post('/api/auth/sign-in/key', { key: credential }), 200);
    const list = expectStatus(await withSession(token, 'GET', '/api/auth/sessions'), 200).sessions;
    assert.equal(list.length, 2);
    assert.equal(list.filter((x: { current: boolean }) => x.current).length, 1);
    const stranger = await signIn();
    expectStatus(await withSession(stranger.token, 'DELETE', `/api/auth/sessions/${other.id}`), 404);
    expectStatus(await withSession(token, 'DELETE', `/api/auth/sessions/${other.id}`), 204);
    expectStatus(await withSession(other.token, 'GET', '/api/specialist/me'), 401);
    expectStatus(await withSession(token, 'GET', '/api/specialist/me'), 200);
  });

  test('when the site owner signs the specialist out everywhere, or archives them', async () => {
    const a = await signIn();
    assert.equal(expectStatus(await admin(t, 'GET', `/api/admin/specialists/${a.s.id}/sessions`), 200).sessions.length, 1);
    assert.deepEqual(expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${a.s.slug}/sessions`), 200), { revoked: 1 });
    expectStatus(await withSession(a.token, 'GET', '/api/specialist/me'), 401);

    const b = await signIn();
    expectStatus(await admin(t, 'POST', `/api/admin/specialists/${b.s.id}/archive`), 200);
    expectStatus(await withSession(b.token, 'GET', '/api/specialist/me'), 401);
    const row = await t.app.db.selectFrom('console_sessions').select('revoked_at').where('id', '=', b.id).executeTakeFirstOrThrow();
    assert.notEqual(row.revoked_at, null);
  });
});

describe('owner accounts', () => {
  test('an owner invited by email signs in and runs the practice; archived, their session ends', async () => {
    const owner = expectStatus(await admin(t, 'POST', '/api/admin/owners', { email: 'office@clinic.test', name: 'Front office' }), 201);
    expectStatus(await admin(t, 'POST', '/api/admin/owners', { email: 'OFFICE@clinic.test' }), 409);
    const link = await linkFor('office@clinic.test');
    const mail = smtp.messages.find((m) => m.to.includes('office@clinic.test'))!;
    assert.match(textOf(mail.raw), /72 hours/, 'an invitation lasts longer than a sign-in link');
    const session = expectStatus(await post('/api/auth/sign-in/link', { token: link.searchParams.get('signin') }), 200);
    assert.deepEqual([session.role, session.owner.email], ['owner', 'office@clinic.test']);
    expectStatus(await withSession(session.token, 'GET', '/api/admin/bookings'), 200);

    // Later sign-ins by email ask for the owner role.
    expectStatus(await post('/api/auth/sign-in/email', { email: 'office@clinic.test', role: 'owner' }), 202);
    await linkFor('office@clinic.test', 1);

    expectStatus(await admin(t, 'POST', `/api/admin/owners/${owner.id}/archive`), 200);
    expectStatus(await withSession(session.token, 'GET', '/api/admin/bookings'), 401);
  });

  test('a specialist invited by the owner gets a link to the console', async () => {
    const s = await createSpecialist(t, { email: 'invitee@example.com' });
    assert.deepEqual(expectStatus(await admin(t, 'POST', `/api/admin/specialists/${s.slug}/invite`, { locale: 'ru' }), 202), { sent: true, email: 'invitee@example.com' });
    const link = await linkFor('invitee@example.com');
    const mail = smtp.messages.find((m) => m.to.includes('invitee@example.com'))!;
    assert.match(mail.raw, /=D0|Приглашение|utf-8/i);
    expectStatus(await post('/api/auth/sign-in/link', { token: link.searchParams.get('signin') }), 200);
  });
});
