// Every operation the OpenAPI document marks as needing a credential, called with a well-formed
// request (real ids, a body shaped like its schema) but no credential, a wrong one or another
// specialist's: never a success, and no guard left un-awaited (an un-awaited async guard lets
// the handler run and surfaces only as an unhandled rejection, so those are counted too).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { T0, DAY, HOUR, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';

const clock = new TestClock(T0);
let t: TestApp;
let owner: Practice;
let stranger: Practice;
let booking: { id: string };
let doc: any;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => { rejections.push(reason); };

before(async () => {
  process.on('unhandledRejection', onRejection);
  t = await startTestApp({ clock, env: { RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
  owner = await addPractice(t.database.db);
  stranger = await addPractice(t.database.db);
  const created = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: owner.specialist.id, service: owner.service.id }, T0 + 2 * DAY + 10 * HOUR) });
  assert.equal(created.statusCode, 201, created.body);
  booking = created.json();
  doc = (await t.app.inject({ url: '/openapi.json' })).json();
});
after(async () => {
  process.off('unhandledRejection', onRejection);
  await t?.close();
});

type Schema = Record<string, any>;
const deref = (s: Schema | undefined): Schema => {
  let out = s ?? {};
  for (let i = 0; out.$ref && i < 10; i++) out = doc.components.schemas[String(out.$ref).split('/').pop()!] ?? {};
  return out;
};

/** The simplest value the schema accepts (required properties only). */
function sample(schema: Schema | undefined): unknown {
  const s = deref(schema);
  if (s.enum) return s.enum[0];
  if (s.const !== undefined) return s.const;
  if (s.anyOf ?? s.oneOf) return sample((s.anyOf ?? s.oneOf)[0]);
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case 'string':
      if (s.format === 'email') return 'vera@example.com';
      if (s.format === 'date-time') return new Date(T0 + 3 * DAY + 10 * HOUR).toISOString();
      if (s.format === 'date') return '2026-12-04';
      if (s.format === 'uuid') return owner.service.id;
      if (s.format === 'uri') return 'https://hooks.example.com/in';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer': case 'number': return s.minimum ?? 1;
    case 'boolean': return false;
    case 'array': return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items));
    case 'object': return Object.fromEntries((s.required ?? []).map((k: string) => [k, sample(s.properties?.[k])]));
    default: return 'x';
  }
}

const PATH_VALUES: Record<string, () => string> = {
  id: () => booking.id, bookingId: () => booking.id, idOrSlug: () => owner.specialist.id, specialistId: () => owner.specialist.id,
  provider: () => 'google',
};

test('no operation that needs a credential succeeds without the right one', async () => {
  const secured = Object.entries<Record<string, Schema>>(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).filter(([, op]) => op.security?.length).map(([method, op]) => ({ path, method, op })));
  assert.ok(secured.length > 60, `${secured.length} secured operations`);
  const unchecked: string[] = [];
  for (const { path, method, op } of secured) {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => (PATH_VALUES[name] ?? (() => '00000000-0000-4000-8000-000000000000'))());
    const query = new URLSearchParams();
    for (const p of (op.parameters ?? []) as Schema[]) if (p.in === 'query' && p.required) query.set(p.name, String(sample(p.schema)));
    const body = op.requestBody?.content?.['application/json']?.schema;
    for (const authorization of [undefined, 'Bearer bm_wrongwrongwrongwrongwrongwrong00', `Bearer ${stranger.credential}`]) {
      const res = await t.app.inject({
        method: method.toUpperCase() as 'GET', url: query.size ? `${url}?${query}` : url,
        headers: authorization ? { authorization } : {}, ...(body ? { payload: sample(body) as object } : {}),
      });
      const where = `${method.toUpperCase()} ${path} as ${authorization ? authorization.slice(0, 20) : 'nobody'} -> ${res.statusCode} ${res.body.slice(0, 200)}`;
      // A stranger's credential may legitimately reach their own side of a shared route (e.g. their own agenda).
      const ownSide = authorization?.includes(stranger.credential) && !/\{/.test(path) && op.security.some((s: object) => 'specialist' in s || 'session' in s);
      if (!ownSide) assert.ok(res.statusCode >= 400 && res.statusCode < 500, where);
      if (res.statusCode === 400 || res.statusCode === 422) unchecked.push(where);
    }
  }
  process.stdout.write(`# ${secured.length} secured operations, ${unchecked.length} of ${secured.length * 3} calls stopped by validation\n`);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(rejections.map(String), [], 'no guard was left un-awaited');
  // The samples must be good enough to get past validation, or the test proves nothing.
  assert.ok(unchecked.length <= secured.length * 0.15, `validation stopped ${unchecked.length} of ${secured.length * 3} calls before the guard:\n${unchecked.join('\n')}`);
});
