// Embedding origins (CORS), webhook endpoints (secret once, sealed at rest) and specialist
// credentials (token once, hashed at rest).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken } from '../../server/auth/tokens.ts';
import { unseal } from '../../server/security/crypto.ts';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { admin, call, createSpecialist, expectFieldError, expectStatus } from './api.ts';

let t: TestApp;
const clock = new TestClock('2026-12-01T06:00:00Z');
// Webhooks here go to example names (no DNS) or 127.0.0.1 fakes: private targets explicitly allowed.
before(async () => { t = await startTestApp({ clock, env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } }); });
after(() => t.close());

const preflight = (origin: string) => t.app.inject({
  method: 'OPTIONS', url: '/api/services', headers: { origin, 'access-control-request-method': 'GET' },
});

describe('allowed origins', () => {
  test('add (normalised), list with the configured ones, CORS follows at once, remove', async () => {
    assert.equal((await preflight('https://clinic.example')).headers['access-control-allow-origin'], undefined);
    const added = expectStatus(await admin(t, 'POST', '/api/admin/origins', { origin: 'HTTPS://Clinic.Example:443/booking?x=1' }), 201);
    assert.deepEqual(added, { origin: 'https://clinic.example', source: 'admin', createdAt: '2026-12-01T06:00:00.000Z' });
    assert.equal((await preflight('https://clinic.example')).headers['access-control-allow-origin'], 'https://clinic.example');
    // Adding it again is harmless.
    assert.equal(expectStatus(await admin(t, 'POST', '/api/admin/origins', { origin: 'https://clinic.example/' }), 200).origin, 'https://clinic.example');
    expectStatus(await admin(t, 'POST', '/api/admin/origins', { origin: 'http://localhost:8080' }), 201);

    const list = expectStatus(await admin(t, 'GET', '/api/admin/origins'), 200).origins;
    assert.deepEqual(list.map((o: { origin: string; source: string }) => `${o.source} ${o.origin}`), [
      // PUBLIC_URL is a loopback address here: its other loopback spellings come with it.
      'config http://localhost:3000', 'config http://127.0.0.1:3000', 'config http://[::1]:3000', 'config http://embedder.test',
      'admin http://localhost:8080', 'admin https://clinic.example',
    ]);

    expectStatus(await admin(t, 'DELETE', `/api/admin/origins?origin=${encodeURIComponent('https://CLINIC.example/')}`), 204);
    assert.equal((await preflight('https://clinic.example')).headers['access-control-allow-origin'], undefined);
    expectStatus(await admin(t, 'DELETE', `/api/admin/origins?origin=${encodeURIComponent('https://clinic.example')}`), 404);
    assert.equal(expectStatus(await admin(t, 'DELETE', `/api/admin/origins?origin=${encodeURIComponent('http://embedder.test')}`), 409).error, 'configured_origin');
  });

  test('anything that is not an http(s) origin is a 400 naming the field', async () => {
    for (const origin of ['*', 'null', 'clinic.example', 'ftp://clinic.example', 'javascript:alert(1)', 'https://user:pw@clinic.example']) {
      expectFieldError(await admin(t, 'POST', '/api/admin/origins', { origin }), 'body.origin', 'invalid_origin');
    }
    expectFieldError(await admin(t, 'DELETE', '/api/admin/origins?origin=nope'), 'query.origin', 'invalid_origin');
  });
});

describe('webhooks', () => {
  test('the secret is returned once, stored sealed, never listed', async () => {
    const created = expectStatus(await admin(t, 'POST', '/api/admin/webhooks', {
      url: 'https://crm.example/hooks/bookings', events: ['booking.created', 'booking.cancelled'],
    }), 201);
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{32}$/);
    assert.equal(Buffer.from(created.secret.slice(6), 'base64').length, 24);
    assert.deepEqual(created.events, ['booking.created', 'booking.cancelled']);
    assert.equal(created.active, true);

    const row = await t.database.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.ok(!row.secret_encrypted.includes(created.secret.slice(6)), 'not stored in clear');
    assert.equal(unseal(t.config.secretKey, row.secret_encrypted), created.secret);

    const list = expectStatus(await admin(t, 'GET', '/api/admin/webhooks'), 200).webhooks;
    const listed = list.find((w: { id: string }) => w.id === created.id);
    assert.deepEqual(listed, { id: created.id, url: created.url, events: created.events, active: true, createdAt: '2026-12-01T06:00:00.000Z' });
    assert.ok(!JSON.stringify(list).includes('whsec_'));

    const all = expectStatus(await admin(t, 'POST', '/api/admin/webhooks', { url: 'http://127.0.0.1:9999/hook' }), 201);
    assert.deepEqual(all.events, [], 'no filter: every event');
    assert.notEqual(all.secret, created.secret);

    const paused = expectStatus(await admin(t, 'PATCH', `/api/admin/webhooks/${created.id}`, { active: false, events: ['booking.*'] }), 200);
    assert.deepEqual([paused.active, paused.events, paused.url], [false, ['booking.*'], created.url]);
    const after = await t.database.db.selectFrom('webhook_endpoints').select('secret_encrypted').where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.equal(unseal(t.config.secretKey, after.secret_encrypted), created.secret, 'the secret is unchanged');
    expectFieldError(await admin(t, 'PATCH', `/api/admin/webhooks/${created.id}`, { url: 'gopher://x' }), 'body.url', 'invalid_url');
    expectStatus(await admin(t, 'PATCH', `/api/admin/webhooks/${created.id}`, {}), 400);

    expectStatus(await admin(t, 'DELETE', `/api/admin/webhooks/${created.id}`), 204);
    expectStatus(await admin(t, 'PATCH', `/api/admin/webhooks/${created.id}`, { active: true }), 404);
    expectStatus(await admin(t, 'DELETE', `/api/admin/webhooks/${created.id}`), 404);
    assert.deepEqual(expectStatus(await admin(t, 'GET', '/api/admin/webhooks'), 200).webhooks.map((w: { id: string }) => w.id), [all.id]);
  });

  test('bad URLs and unknown events are a 400 naming the field', async () => {
    expectFieldError(await admin(t, 'POST', '/api/admin/webhooks', { url: 'not a url' }), 'body.url', 'invalid_url');
    expectFieldError(await admin(t, 'POST', '/api/admin/webhooks', { url: 'ftp://crm.example/x' }), 'body.url', 'invalid_url');
    expectFieldError(await admin(t, 'POST', '/api/admin/webhooks', { url: 'https://u:p@crm.example/x' }), 'body.url', 'invalid_url');
    expectFieldError(await admin(t, 'POST', '/api/admin/webhooks', { url: 'https://crm.example/x', events: ['booking.created', 'booking.exploded'] }), 'body.events[1]');
    expectFieldError(await admin(t, 'POST', '/api/admin/webhooks', { url: 'https://crm.example/x', events: ['booking.created', 'booking.created'] }), 'body.events');
  });
});

describe('specialist credentials', () => {
  test('issue returns the token once, stores only its hash; list has no secrets; revoke takes effect at once', async () => {
    const s = await createSpecialist(t);
    const issued = expectStatus(await admin(t, 'POST', `/api/admin/specialists/${s.id}/credentials`, { label: 'Laptop' }), 201);
    assert.match(issued.token, /^spk_[A-Za-z0-9_-]{32}$/);
    assert.equal(issued.label, 'Laptop');
    assert.equal(issued.specialistId, s.id);
    const row = await t.database.db.selectFrom('specialist_credentials').selectAll().where('id', '=', issued.id).executeTakeFirstOrThrow();
    assert.equal(row.token_hash, hashToken(issued.token));

    clock.advance(60_000);
    expectStatus(await call(t, 'GET', '/api/specialist/me', issued.token), 200);
    const list = expectStatus(await admin(t, 'GET', `/api/admin/specialists/${s.slug}/credentials`), 200).credentials;
    assert.equal(list.length, 1);
    assert.ok(!('token' in list[0]) && !JSON.stringify(list).includes(issued.token));
    assert.notEqual(list[0].lastUsedAt, null);

    const revoked = expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${s.id}/credentials/${issued.id}`), 200);
    assert.equal(revoked.revokedAt, new Date(clock.now()).toISOString());
    expectStatus(await call(t, 'GET', '/api/specialist/me', issued.token), 401);
    // Revoking again keeps the first time.
    clock.advance(60_000);
    assert.equal(expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${s.id}/credentials/${issued.id}`), 200).revokedAt, revoked.revokedAt);
    expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${s.id}/credentials/00000000-0000-4000-8000-000000000000`), 404);
    expectStatus(await admin(t, 'POST', '/api/admin/specialists/nobody/credentials', {}), 404);
  });

  test('several credentials per specialist work independently', async () => {
    const s = await createSpecialist(t);
    const one = expectStatus(await admin(t, 'POST', `/api/admin/specialists/${s.id}/credentials`, {}), 201);
    const two = expectStatus(await admin(t, 'POST', `/api/admin/specialists/${s.id}/credentials`), 201);
    assert.notEqual(one.token, two.token);
    expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${s.id}/credentials/${one.id}`), 200);
    expectStatus(await call(t, 'GET', '/api/specialist/me', one.token), 401);
    assert.equal(expectStatus(await call(t, 'GET', '/api/specialist/me', two.token), 200).id, s.id);
  });
});
