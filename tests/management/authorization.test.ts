// Every management route with its authorization matrix: no token, a specialist's credential
// on admin routes, the admin token on specialist routes, another specialist's credential, a
// revoked credential, and the rightful caller.
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.ts';
import { admin, call, createService, createSpecialist, expectStatus, issueToken, type Method } from './api.ts';

let t: TestApp;
let a: { id: string; slug: string };
let b: { id: string };
let tokenA: string;
let tokenB: string;
let service: { id: string };

before(async () => {
  // Webhooks here go to example names (no DNS) or 127.0.0.1 fakes: private targets explicitly allowed.
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
  a = await createSpecialist(t);
  b = await createSpecialist(t);
  tokenA = await issueToken(t, a.id);
  tokenB = await issueToken(t, b.id);
  service = await createService(t);
});
after(() => t.close());

interface Case { method: Method; url: string; body?: unknown; ok: number }
type Route = { name: string; prepare: () => Promise<Case> };

let overrideDay = 0;
const fresh = {
  override: async (specialistId: string) => expectStatus(await admin(t, 'POST', `/api/admin/specialists/${specialistId}/overrides`, {
    date: `2030-01-${String(++overrideDay).padStart(2, '0')}`, intervals: [],
  }), 201).id as string,
};

const adminRoutes: Route[] = [
  { name: 'list specialists', prepare: async () => ({ method: 'GET', url: '/api/admin/specialists', ok: 200 }) },
  { name: 'create specialist', prepare: async () => ({ method: 'POST', url: '/api/admin/specialists', body: { slug: `x-${randomUUID().slice(0, 8)}`, name: 'X', email: 'x@example.com', timezone: 'UTC' }, ok: 201 }) },
  { name: 'read specialist', prepare: async () => ({ method: 'GET', url: `/api/admin/specialists/${a.id}`, ok: 200 }) },
  { name: 'update specialist', prepare: async () => ({ method: 'PATCH', url: `/api/admin/specialists/${a.id}`, body: { bio: 'Updated' }, ok: 200 }) },
  { name: 'archive specialist', prepare: async () => ({ method: 'POST', url: `/api/admin/specialists/${(await createSpecialist(t)).id}/archive`, ok: 200 }) },
  { name: 'restore specialist', prepare: async () => ({ method: 'POST', url: `/api/admin/specialists/${a.id}/restore`, ok: 200 }) },
  { name: 'list credentials', prepare: async () => ({ method: 'GET', url: `/api/admin/specialists/${a.id}/credentials`, ok: 200 }) },
  { name: 'issue credential', prepare: async () => ({ method: 'POST', url: `/api/admin/specialists/${a.id}/credentials`, body: {}, ok: 201 }) },
  {
    name: 'revoke credential',
    prepare: async () => {
      const c = expectStatus(await admin(t, 'POST', `/api/admin/specialists/${a.id}/credentials`, {}), 201);
      return { method: 'DELETE', url: `/api/admin/specialists/${a.id}/credentials/${c.id}`, ok: 200 };
    },
  },
  { name: 'read hours', prepare: async () => ({ method: 'GET', url: `/api/admin/specialists/${a.id}/hours`, ok: 200 }) },
  { name: 'replace hours', prepare: async () => ({ method: 'PUT', url: `/api/admin/specialists/${a.id}/hours`, body: { hours: [{ weekday: 2, start: '09:00', end: '17:00' }] }, ok: 200 }) },
  { name: 'list overrides', prepare: async () => ({ method: 'GET', url: `/api/admin/specialists/${a.id}/overrides`, ok: 200 }) },
  { name: 'set override', prepare: async () => ({ method: 'POST', url: `/api/admin/specialists/${a.id}/overrides`, body: { date: '2031-01-05', intervals: [] }, ok: 201 }) },
  { name: 'block range', prepare: async () => ({ method: 'POST', url: `/api/admin/specialists/${a.id}/overrides/vacation`, body: { from: '2031-02-01', to: '2031-02-03' }, ok: 201 }) },
  { name: 'remove override', prepare: async () => ({ method: 'DELETE', url: `/api/admin/specialists/${a.id}/overrides/${await fresh.override(a.id)}`, ok: 204 }) },
  { name: 'list services', prepare: async () => ({ method: 'GET', url: '/api/admin/services', ok: 200 }) },
  { name: 'create service', prepare: async () => ({ method: 'POST', url: '/api/admin/services', body: { slug: `s-${randomUUID().slice(0, 8)}`, name: 'S', durationMin: 30 }, ok: 201 }) },
  { name: 'read service', prepare: async () => ({ method: 'GET', url: `/api/admin/services/${service.id}`, ok: 200 }) },
  { name: 'update service', prepare: async () => ({ method: 'PATCH', url: `/api/admin/services/${service.id}`, body: { description: 'Updated' }, ok: 200 }) },
  { name: 'archive service', prepare: async () => ({ method: 'POST', url: `/api/admin/services/${(await createService(t)).id}/archive`, ok: 200 }) },
  { name: 'restore service', prepare: async () => ({ method: 'POST', url: `/api/admin/services/${service.id}/restore`, ok: 200 }) },
  { name: 'set offering', prepare: async () => ({ method: 'PUT', url: `/api/admin/services/${service.id}/specialists`, body: { specialistIds: [a.id] }, ok: 200 }) },
  { name: 'list origins', prepare: async () => ({ method: 'GET', url: '/api/admin/origins', ok: 200 }) },
  { name: 'add origin', prepare: async () => ({ method: 'POST', url: '/api/admin/origins', body: { origin: `https://${randomUUID().slice(0, 8)}.example` }, ok: 201 }) },
  {
    name: 'remove origin',
    prepare: async () => {
      const origin = `https://${randomUUID().slice(0, 8)}.example`;
      expectStatus(await admin(t, 'POST', '/api/admin/origins', { origin }), 201);
      return { method: 'DELETE', url: `/api/admin/origins?origin=${encodeURIComponent(origin)}`, ok: 204 };
    },
  },
  { name: 'list webhooks', prepare: async () => ({ method: 'GET', url: '/api/admin/webhooks', ok: 200 }) },
  { name: 'add webhook', prepare: async () => ({ method: 'POST', url: '/api/admin/webhooks', body: { url: 'https://crm.example/hook' }, ok: 201 }) },
  {
    name: 'update webhook',
    prepare: async () => {
      const w = expectStatus(await admin(t, 'POST', '/api/admin/webhooks', { url: 'https://crm.example/hook' }), 201);
      return { method: 'PATCH', url: `/api/admin/webhooks/${w.id}`, body: { active: false }, ok: 200 };
    },
  },
  {
    name: 'remove webhook',
    prepare: async () => {
      const w = expectStatus(await admin(t, 'POST', '/api/admin/webhooks', { url: 'https://crm.example/hook' }), 201);
      return { method: 'DELETE', url: `/api/admin/webhooks/${w.id}`, ok: 204 };
    },
  },
];

describe('admin routes', () => {
  for (const route of adminRoutes) {
    test(`${route.name}: 401 without a token, with a specialist's credential or a wrong token; 2xx with the admin token`, async () => {
      const c = await route.prepare();
      for (const token of [null, tokenA, 'not-the-admin-token-0123456789']) {
        const res = await call(t, c.method, c.url, token, c.body);
        assert.equal(res.statusCode, 401, `${c.method} ${c.url} with ${token ?? 'no token'}: ${res.body}`);
        assert.equal(res.json().error, 'unauthorized');
        assert.equal(res.headers['www-authenticate'], 'Bearer');
      }
      expectStatus(await call(t, c.method, c.url, ADMIN_TOKEN, c.body), c.ok);
    });
  }

  test('an anonymous request is refused before its body is looked at', async () => {
    const res = await call(t, 'POST', '/api/admin/services', null, { durationMin: -5 });
    assert.equal(res.statusCode, 401);
  });

  test('without ADMIN_TOKEN configured the admin API is disabled (503), never open', async () => {
    const off = await startTestApp({ database: t.database, env: { ADMIN_TOKEN: '' } });
    try {
      for (const token of [null, ADMIN_TOKEN]) {
        const res = await call(off, 'GET', '/api/admin/specialists', token);
        assert.equal(res.statusCode, 503);
        assert.equal(res.json().error, 'admin_disabled');
      }
    } finally {
      await off.app.close();
    }
  });
});

describe('specialist routes', () => {
  const own = (token: () => string): Route[] => [
    { name: 'me', prepare: async () => ({ method: 'GET', url: '/api/specialist/me', ok: 200 }) },
    { name: 'read hours', prepare: async () => ({ method: 'GET', url: '/api/specialist/hours', ok: 200 }) },
    { name: 'replace hours', prepare: async () => ({ method: 'PUT', url: '/api/specialist/hours', body: { hours: [{ weekday: 1, start: '08:00', end: '12:00' }] }, ok: 200 }) },
    { name: 'list overrides', prepare: async () => ({ method: 'GET', url: '/api/specialist/overrides', ok: 200 }) },
    { name: 'set override', prepare: async () => ({ method: 'POST', url: '/api/specialist/overrides', body: { date: '2032-03-03', intervals: [{ start: '10:00', end: '11:00' }] }, ok: 201 }) },
    { name: 'block range', prepare: async () => ({ method: 'POST', url: '/api/specialist/overrides/vacation', body: { from: '2032-04-01', to: '2032-04-02' }, ok: 201 }) },
    {
      name: 'remove override',
      prepare: async () => {
        const o = expectStatus(await call(t, 'POST', '/api/specialist/overrides', token(), { date: '2032-05-05', intervals: [] }), 201);
        return { method: 'DELETE', url: `/api/specialist/overrides/${o.id}`, ok: 204 };
      },
    },
  ];

  for (const route of own(() => tokenA)) {
    test(`${route.name}: 401 without a token, with the admin token or a revoked one; ok with the own credential`, async () => {
      const c = await route.prepare();
      const revoked = await issueToken(t, a.id);
      const credentials = expectStatus(await admin(t, 'GET', `/api/admin/specialists/${a.id}/credentials`), 200).credentials;
      const last = credentials.at(-1);
      expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${a.id}/credentials/${last.id}`), 200);
      for (const token of [null, ADMIN_TOKEN, revoked, 'spk_made-up-token-000000000000']) {
        const res = await call(t, c.method, c.url, token, c.body);
        assert.equal(res.statusCode, 401, `${c.method} ${c.url} with ${token ?? 'no token'}: ${res.body}`);
      }
      expectStatus(await call(t, c.method, c.url, tokenA, c.body), c.ok);
    });
  }

  test("another specialist's credential reads and writes only their own schedule", async () => {
    expectStatus(await call(t, 'PUT', '/api/specialist/hours', tokenA, { hours: [{ weekday: 3, start: '09:00', end: '10:00' }] }), 200);
    expectStatus(await call(t, 'PUT', '/api/specialist/hours', tokenB, { hours: [{ weekday: 4, start: '14:00', end: '15:00' }] }), 200);
    const meB = expectStatus(await call(t, 'GET', '/api/specialist/me', tokenB), 200);
    assert.equal(meB.id, b.id);
    const hoursA = expectStatus(await admin(t, 'GET', `/api/admin/specialists/${a.id}/hours`), 200);
    assert.deepEqual(hoursA.hours, [{ weekday: 3, start: '09:00', end: '10:00' }]);
    const hoursB = expectStatus(await call(t, 'GET', '/api/specialist/hours', tokenB), 200);
    assert.deepEqual(hoursB.hours, [{ weekday: 4, start: '14:00', end: '15:00' }]);
  });

  test("another specialist's override id is a 404 and stays in place", async () => {
    const o = expectStatus(await call(t, 'POST', '/api/specialist/overrides', tokenA, { date: '2033-06-06', intervals: [] }), 201);
    const res = await call(t, 'DELETE', `/api/specialist/overrides/${o.id}`, tokenB);
    assert.equal(expectStatus(res, 404).error, 'not_found');
    const listB = expectStatus(await call(t, 'GET', '/api/specialist/overrides', tokenB), 200);
    assert.ok(!listB.overrides.some((x: { id: string }) => x.id === o.id), 'B does not see A\'s override');
    const listA = expectStatus(await call(t, 'GET', '/api/specialist/overrides?from=2033-06-06&to=2033-06-06', tokenA), 200);
    assert.deepEqual(listA.overrides.map((x: { id: string }) => x.id), [o.id]);
    // An unknown id answers exactly the same.
    expectStatus(await call(t, 'DELETE', `/api/specialist/overrides/${randomUUID()}`, tokenB), 404);
  });

  test("the admin's routes for one specialist cannot reach another's override", async () => {
    const o = expectStatus(await call(t, 'POST', '/api/specialist/overrides', tokenA, { date: '2033-07-07', intervals: [] }), 201);
    expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${b.id}/overrides/${o.id}`), 404);
    expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${a.id}/overrides/${o.id}`), 204);
  });

  test("a credential cannot be revoked through another specialist's path", async () => {
    const issued = expectStatus(await admin(t, 'POST', `/api/admin/specialists/${a.id}/credentials`, {}), 201);
    expectStatus(await admin(t, 'DELETE', `/api/admin/specialists/${b.id}/credentials/${issued.id}`), 404);
    expectStatus(await call(t, 'GET', '/api/specialist/me', issued.token), 200);
  });
});
