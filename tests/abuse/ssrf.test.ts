// The outbound URL policy of webhooks: internal targets are refused when saved and when
// delivered (after DNS resolution, connecting to the checked address), redirects are not
// followed, and failures read the same whatever the port did. Only loopback servers of this
// test are ever contacted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { ADMIN_TOKEN, startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { listen, type Listening } from '../fakes/http.ts';
import { OutboundRefused, UNREACHABLE, isPublicAddress, postChecked } from '../../server/security/outbound.ts';
import { postWebhook } from '../../server/notifications/channels/webhook.ts';
import { PermanentDeliveryError } from '../../server/notifications/errors.ts';

const clock = new TestClock('2026-12-01T00:00:00Z');
let t: TestApp;
let hits: string[] = [];
let receiver: Listening;

before(async () => {
  t = await startTestApp({ clock });
  receiver = await listen((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/redirect') { res.writeHead(302, { location: `${receiver.url}/after-redirect` }); res.end(); return; }
    res.writeHead(204); res.end();
  });
});
after(async () => {
  await t.close();
  await receiver.close();
});

const INTERNAL = [
  'http://127.0.0.1:5432/', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://172.16.0.1/',
  'http://192.168.1.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://0177.0.0.1/', 'http://0/', 'http://[::]/',
  'http://[::ffff:127.0.0.1]/', 'http://[fd00::1]/', 'http://[fe80::1]/', 'http://100.64.0.1/', 'http://224.0.0.1/', 'http://localhost:8080/',
];

describe('at save', () => {
  test('18 internal targets are refused with one uniform answer', async () => {
    const messages = new Set<string>();
    for (const url of INTERNAL) {
      const res = await t.app.inject({ method: 'POST', url: '/api/admin/webhooks', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { url } });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().error, 'url_not_allowed', url);
      assert.equal(res.json().field, 'body.url');
      messages.add(res.json().message);
    }
    assert.equal(messages.size, 1, [...messages].join(' | '));
    assert.equal((await t.database.db.selectFrom('webhook_endpoints').select('id').execute()).length, 0);
  });

  test('a name that does not resolve is refused; a name resolving to a public address is accepted (not contacted)', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/api/admin/webhooks', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { url: 'https://hooks.nonexistent.invalid/x' } });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error, 'url_not_allowed');
    const ok = await t.app.inject({ method: 'POST', url: '/api/admin/webhooks', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { url: 'https://hooks.example-public.test/hooks' } });
    assert.equal(ok.statusCode, 201, ok.body);
    const moved = await t.app.inject({ method: 'PATCH', url: `/api/admin/webhooks/${ok.json().id}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { url: 'http://169.254.169.254/' } });
    assert.equal(moved.statusCode, 400);
    assert.equal(moved.json().error, 'url_not_allowed');
  });

  test('the address ranges', () => {
    for (const a of ['8.8.8.8', '93.184.215.14', '2606:4700:4700::1111']) assert.equal(isPublicAddress(a), true, a);
    for (const a of ['127.0.0.1', '::1', '::ffff:10.0.0.1', '169.254.1.1', 'fc00::1', '64:ff9b::7f00:1', '0.0.0.0', '255.255.255.255', 'not-an-ip']) {
      assert.equal(isPublicAddress(a), false, a);
    }
  });
});

describe('at delivery', () => {
  test('a name that resolves to an internal address by delivery time (DNS rebinding) is refused without connecting', async () => {
    hits = [];
    const port = new URL(receiver.url).port;
    // First resolution (at save) said public; now the same name says loopback.
    const rebinding = async () => [{ address: '127.0.0.1', family: 4 }];
    await assert.rejects(postChecked(`http://hooks.rebind.test:${port}/x`, {}, '{}', { allowPrivate: false, resolve: rebinding }), OutboundRefused);
    await assert.rejects(postWebhook(`http://hooks.rebind.test:${port}/x`, 'whsec_dGVzdA==', 'id', clock.now(), '{}', { allowPrivate: false, resolve: rebinding } as never), PermanentDeliveryError);
    assert.deepEqual(hits, []);
  });

  test('the connection goes to the address that was checked, not to a second lookup', async () => {
    hits = [];
    const port = new URL(receiver.url).port;
    let lookups = 0;
    // A name no DNS knows: only the checked answer can have brought the request to our server.
    const res = await postChecked(`http://pinned.example.invalid:${port}/pinned`, {}, '{}', { allowPrivate: true, resolve: async () => { lookups++; return [{ address: '127.0.0.1', family: 4 }]; } });
    assert.equal(res.status, 204);
    assert.deepEqual(hits, ['/pinned']);
    assert.equal(lookups, 1);
  });

  test('redirects are not followed', async () => {
    hits = [];
    const res = await postChecked(`${receiver.url}/redirect`, {}, '{}', { allowPrivate: true });
    assert.equal(res.status, 302);
    assert.deepEqual(hits, ['/redirect']);
  });

  test('a closed port and an open port that does not speak HTTP fail with the same text', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const garbage: Server = createTcpServer((s) => { sockets.add(s); s.on('error', () => {}); s.end('SSH-2.0-OpenSSH_9.6\r\n'); });
    await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
    const openPort = (garbage.address() as AddressInfo).port;
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const errors: string[] = [];
    for (const port of [openPort, closedPort]) {
      await postChecked(`http://127.0.0.1:${port}/`, {}, '{}', { allowPrivate: true }, 2000).then(() => errors.push('answered'), (err: Error) => errors.push(err.message));
    }
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => garbage.close(() => r()));
    assert.deepEqual(errors, [UNREACHABLE, UNREACHABLE]);
  });

  test('a saved endpoint now pointing inside is failed for good by the sender, without a request', async () => {
    hits = [];
    const row = await t.database.db.insertInto('webhook_endpoints').values({ url: `${receiver.url}/inside`, secret_encrypted: 'x', events: [] }).returning('id').executeTakeFirstOrThrow();
    const { createSender } = await import('../../server/notifications/sender.ts');
    const { seal } = await import('../../server/security/crypto.ts');
    await t.database.db.updateTable('webhook_endpoints').set({ secret_encrypted: seal(t.config.secretKey, 'whsec_dGVzdA==') }).where('id', '=', row.id).execute();
    const send = createSender({ config: t.config, db: t.database.db, clock, log: { info() {}, warn() {}, error() {} }, mail: { async send() {}, close() {} } });
    const [sending] = await send(t.database.db, [{
      id: '11111111-1111-4111-8111-111111111111', booking_id: null, kind: 'booking.created', channel: 'webhook', recipient: `${receiver.url}/inside`,
      payload: { endpointId: row.id, event: { type: 'booking.created' } }, send_at: new Date(), status: 'pending', attempts: 1, last_error: null, sent_at: null,
      enqueued_at: null, next_attempt_at: null, claim_token: null, claimed_until: null, created_at: new Date(), updated_at: new Date(),
    }]);
    await assert.rejects(sending!, (err) => err instanceof PermanentDeliveryError);
    assert.deepEqual(hits, []);
  });
});
