// Every route of the OpenAPI document, fuzzed: random path segments (long, unicode, bad
// percent-encoding), query values of every type (dates and instants at and beyond the bounds,
// repeated keys), bodies shaped like the schema with wrong types mixed in, raw garbage, other
// content types, and every kind of credential. Whatever arrives: no 5xx, and every error is
// `{ error, message }`. FUZZ_RUNS (default 20) sets the runs per operation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ADMIN_TOKEN, startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { FakeDaily } from '../fakes/daily.ts';
import { FakeStripe } from '../fakes/stripe.ts';
import { T0, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const clock = new TestClock(T0);
let t: TestApp;
let daily: FakeDaily;
let stripe: FakeStripe;
let p: Practice;
let doc: any;
let booking: { id: string; manageToken: string };

before(async () => {
  daily = await new FakeDaily().start();
  stripe = await new FakeStripe().start(); // payments configured: checkout and the Stripe webhook are fuzzed too
  t = await startTestApp({
    clock,
    env: {
      RATE_LIMIT_WRITES_PER_MINUTE: '100000', DAILY_API_KEY: daily.apiKey, DAILY_API_URL: daily.url, DAILY_WEBHOOK_SECRET: daily.webhookSecret,
      LIVEKIT_URL: 'http://127.0.0.1:9', LIVEKIT_API_KEY: 'lk-key', LIVEKIT_API_SECRET: 'lk-secret-0123456789abcdef0123456789',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', ...stripe.env(),
    },
  });
  p = await addPractice(t.database.db);
  const created = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: p.specialist.id, service: p.service.id }, T0 + 2 * 86_400_000 + 10 * 3_600_000) });
  assert.equal(created.statusCode, 201, created.body);
  booking = created.json();
  doc = (await t.app.inject({ url: '/openapi.json' })).json();
});
after(async () => {
  await daily?.stop();
  await stripe?.stop();
  await t?.close();
});

// ---------- values ----------

const dates = fc.oneof(
  fc.constantFrom('9999-12-31', '0000-01-01', '1999-12-31', '2200-12-31', '2201-01-01', '2024-02-29', '2023-02-29', '2026-13-01', '2026-12-03', ''),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const instants = fc.oneof(
  fc.constantFrom('2026-12-31T23:59:60Z', '2026-12-22T10:00:00+01', '2026-12-22T10:00:00', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z',
    '2026-12-03T10:00:00Z', '2026-12-03T10:00:00.123456789+05:30', '+275760-09-13T00:00:00.000Z'),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
);
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('any', p0(), 'dr-test', 'Europe/Berlin', 'Mars/Olympus', 'vera@example.com', '../../etc/passwd', '%00', '\u0000', 'null', '[]', '{}'),
  fc.integer({ min: 200, max: 20_000 }).map((n) => 'x'.repeat(n)),
  fc.uuid(),
);
/** Query values are text: objects as their JSON. */
const asText = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
function p0() { return '00000000-0000-4000-8000-000000000000'; }
const scalar = fc.oneof(text, dates, instants, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

type Schema = Record<string, any>;
function deref(schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 10; i++) s = doc.components.schemas[String(s.$ref).split('/').pop()!] ?? {};
  return s;
}

/** A value shaped like the schema most of the time, anything else otherwise. */
function valueFor(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(schema);
  const wrong = depth > 3 ? scalar : fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }));
  const branches = s.anyOf ?? s.oneOf;
  let typed: fc.Arbitrary<unknown>;
  if (branches) typed = fc.oneof(...branches.map((b: Schema) => valueFor(b, depth + 1)));
  else if (s.enum) typed = fc.constantFrom(...s.enum);
  else if (s.const !== undefined) typed = fc.constant(s.const);
  else {
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    switch (type) {
      case 'string': typed = s.format === 'date-time' ? instants : s.format === 'date' ? dates : s.format === 'uuid' ? fc.oneof(fc.uuid(), text) : text; break;
      case 'integer': typed = fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.integer(), fc.constant(2 ** 53)); break;
      case 'number': typed = fc.double(); break;
      case 'boolean': typed = fc.boolean(); break;
      case 'array': typed = depth > 3 ? fc.constant([]) : fc.array(valueFor(s.items, depth + 1), { maxLength: 4 }); break;
      case 'object': {
        if (depth > 3) { typed = fc.constant({}); break; }
        const props = Object.entries<Schema>(s.properties ?? {});
        const required = new Set<string>(s.required ?? []);
        typed = fc.record(Object.fromEntries(props.map(([k, v]) => [k, valueFor(v, depth + 1)])), { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
        break;
      }
      default: typed = scalar;
    }
  }
  return fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: wrong });
}

const segment = fc.oneof(
  { weight: 3, arbitrary: text.map((s) => encodeURIComponent(String(s))) },
  { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%', '%zz', '..', '%2e%2e', 'a%00b', 'x'.repeat(5000)) },
  { weight: 1, arbitrary: fc.constantFrom(() => booking.id, () => p.specialist.slug, () => p.service.id).map((f) => f()) },
);

const credential = fc.constantFrom<() => string | undefined>(
  () => undefined, () => `Bearer ${ADMIN_TOKEN}`, () => `Bearer ${p.credential}`, () => `Bearer ${booking.manageToken}`,
  () => 'Bearer bm_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', () => 'Basic Zm9vOmJhcg==', () => `Bearer ${'z'.repeat(600)}`,
).map((f) => f());

const BODY_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/webhook+json', ''];

function operations() {
  return Object.entries<Record<string, Schema>>(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map(([method, op]) => ({ path, method, op })));
}

test('every route: no 5xx and the one error shape, whatever is sent', async () => {
  const ops = operations();
  assert.ok(ops.length > 40, `${ops.length} operations`);
  const statuses = new Map<number, number>();
  for (const { path, method, op } of ops) {
    const params: Schema[] = op.parameters ?? [];
    const pathParams = params.filter((x) => x.in === 'path').map((x) => x.name as string);
    const queryParams = params.filter((x) => x.in === 'query');
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const request = fc.record({
      segments: fc.tuple(...pathParams.map(() => segment)),
      query: fc.tuple(...queryParams.map((q) => fc.option(fc.oneof(
        { weight: 4, arbitrary: valueFor(q.schema).map((v) => [asText(v)]) },
        { weight: 1, arbitrary: fc.array(text.map(String), { minLength: 2, maxLength: 3 }) },
      ), { nil: undefined }))),
      extra: fc.option(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })), { nil: undefined }),
      body: fc.oneof(
        { weight: 4, arbitrary: valueFor(bodySchema).map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('{', '{"a":', '[1,2', '\u0000', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}')) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      contentType: fc.constantFrom(...BODY_TYPES),
      auth: credential,
    });
    await fc.assert(fc.asyncProperty(request, async (r) => {
      let url = path;
      pathParams.forEach((name, i) => { url = url.replace(`{${name}}`, r.segments[i]!); });
      const q = new URLSearchParams();
      queryParams.forEach((param, i) => { for (const v of r.query[i] ?? []) q.append(param.name, v); });
      if (r.extra) q.append(r.extra[0], r.extra[1]);
      const search = q.toString();
      const headers: Record<string, string> = {};
      if (r.auth) headers.authorization = r.auth;
      const sendsBody = method !== 'get' && r.body !== undefined;
      if (sendsBody && r.contentType) headers['content-type'] = r.contentType;
      const sent = t.app.inject({ method: method.toUpperCase() as 'GET', url: search ? `${url}?${search}` : url, headers, ...(sendsBody ? { payload: r.body } : {}), remoteAddress: '10.20.30.40' });
      let timer: NodeJS.Timeout | undefined;
      const res = await Promise.race([sent, new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within 10 s: ${method.toUpperCase()} ${url.slice(0, 120)}?${search.slice(0, 200)} body=${asText(r.body).slice(0, 200)} [${r.contentType}]`)), 10_000);
      })]).finally(() => clearTimeout(timer));
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const where = `${method.toUpperCase()} ${url.slice(0, 120)}${search ? `?${search.slice(0, 200)}` : ''} body=${asText(r.body).slice(0, 200)} [${r.contentType}] -> ${res.statusCode} ${res.body.slice(0, 300)}`;
      assert.ok(res.statusCode < 500, where);
      if (res.statusCode >= 400) {
        let body: any;
        assert.doesNotThrow(() => { body = JSON.parse(res.body); }, where);
        assert.equal(typeof body.error, 'string', where);
        assert.equal(typeof body.message, 'string', where);
        assert.ok(res.body.length < 4000, `short errors: ${where}`);
      }
    }), { numRuns: RUNS, seed: Number(process.env.FC_SEED ?? 18), endOnFailure: true });
  }
  process.stdout.write(`# fuzzed ${ops.length} operations x ${RUNS}: ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ')}\n`);
});
