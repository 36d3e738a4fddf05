// The self-hosting kit, checked without Docker (it does not run here): compose.yaml parses, every
// variable it gives the app is one the configuration knows and the configuration loads from it
// (filled in as .env.example says), and the image starts the server with the command CI
// smoke-tests, as an unprivileged user, with a health check on /ready.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../server/config.ts';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

interface Service { image?: string; build?: unknown; command?: string[]; environment?: Record<string, string | number | null> }
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const APP_SERVICES = ['api', 'worker'];

/** .env.example as an environment, with the secrets it leaves empty filled in as a site owner would. */
function dotEnv(): Record<string, string> {
  const env = Object.fromEntries(read('.env.example').split('\n')
    .map((l) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1], m[2]]));
  return { ...env, SECRET_KEY: 'ef'.repeat(32), POSTGRES_PASSWORD: 'a-long-random-password' };
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?:(:?)([-?])([^}]*))?\}/g, (_m, name: string, colon: string, op: string, arg: string) => {
    const v = env[name];
    const missing = v === undefined || (colon === ':' && v === '');
    if (op === '?' && missing) throw new Error(`compose would stop: ${name}: ${arg}`);
    if (op === '-' && missing) return arg;
    return v ?? '';
  });
}

function serviceEnv(name: string, env = dotEnv()): Record<string, string> {
  const raw = compose.services[name].environment ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, interpolate(String(v ?? ''), env)]));
}

/** The last stage of the Dockerfile as instructions, line continuations joined. */
function dockerfile() {
  const lines = read('Dockerfile').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages = lines.reduce<string[][]>((acc, l) => { if (/^FROM\s/i.test(l)) acc.push([]); acc.at(-1)?.push(l); return acc; }, []);
  const final = stages.at(-1)!;
  const instr = (name: string) => final.filter((l) => l.toUpperCase().startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
  return { stages, instr };
}

describe('compose.yaml', () => {
  test('has the API, the worker, PostgreSQL and Redis; the app services use the image built here', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['api', 'postgres', 'redis', 'worker']);
    for (const name of APP_SERVICES) assert.equal(compose.services[name].build, '.', name);
  });

  test('every variable it gives the app is one the configuration reads', () => {
    for (const name of APP_SERVICES) {
      const unknown = Object.keys(compose.services[name].environment ?? {}).filter((k) => !(CONFIG_VARIABLES as readonly string[]).includes(k));
      assert.deepEqual(unknown, [], `${name} sets variables the server ignores`);
    }
  });

  test('.env.example provides every variable compose requires', () => {
    const required = [...read('compose.yaml').matchAll(/\$\{([A-Z0-9_]+):?\?/g)].map((m) => m[1]);
    const example = dotEnv();
    for (const name of new Set(required)) assert.ok(name in example, name);
    const { SECRET_KEY: _k, ...withoutKey } = example;
    assert.throws(() => serviceEnv('api', withoutKey), /SECRET_KEY/);
  });

  test('the configuration loads from it: production, on PostgreSQL and Redis, mail over SMTP', () => {
    const api = loadConfig(serviceEnv('api'));
    assert.equal(api.nodeEnv, 'production');
    assert.equal(api.publicUrl, 'https://booking.example.com');
    assert.equal(api.host, '0.0.0.0');
    assert.equal(api.inProcessWorker, false, 'delivery belongs to the worker service');
    assert.deepEqual(api.trustProxy, ['uniquelocal']);
    assert.equal(new URL(api.databaseUrl!).host, 'postgres:5432');
    assert.equal(api.redisUrl, 'redis://redis:6379');
    assert.equal(api.mail.transport, 'smtp');
    assert.equal(api.demoData, false);

    const worker = loadConfig(serviceEnv('worker'));
    assert.equal(worker.databaseUrl, api.databaseUrl);
    assert.equal(worker.redisUrl, api.redisUrl);
    assert.deepEqual(worker.metrics, { token: null, port: 9464, host: '0.0.0.0' });
  });

  test('the database the app is given is the one the postgres service creates', () => {
    const url = new URL(serviceEnv('api').DATABASE_URL);
    const pgEnv = serviceEnv('postgres');
    assert.equal(url.username, pgEnv.POSTGRES_USER);
    assert.equal(decodeURIComponent(url.password), pgEnv.POSTGRES_PASSWORD);
    assert.equal(url.pathname, `/${pgEnv.POSTGRES_DB}`);
  });

  test('the worker runs what `npm run worker` runs', () => {
    // `npm run worker` = compile the server (the image does at build time), then this command.
    const worker = pkg.scripts.worker.split('&&').map((s: string) => s.trim());
    assert.equal(worker[0], 'npm run build:server');
    assert.equal(compose.services.worker.command?.join(' '), worker.at(-1));
  });
});

describe('Dockerfile', () => {
  test('multi-stage: built in one stage, run from another', () => {
    assert.ok(dockerfile().stages.length >= 2);
  });

  test('runs as an unprivileged user, in production mode, listening beyond localhost', () => {
    const { instr } = dockerfile();
    const user = instr('USER').at(-1);
    assert.ok(user && !['root', '0', '0:0'].includes(user), `USER ${user}`);
    const env = instr('ENV').join(' ');
    assert.match(env, /NODE_ENV=production/);
    assert.match(env, /HOST=0\.0\.0\.0/);
  });

  test('its health check asks /ready', () => {
    const [check] = dockerfile().instr('HEALTHCHECK');
    assert.match(check, /CMD .*\/ready/);
  });

  test('its CMD is the start command CI smoke-tests', () => {
    const [cmd] = dockerfile().instr('CMD');
    const argv = JSON.parse(cmd) as string[];
    // `npm start` = build, then this command; .ci/smoke-start.sh runs `npm start`.
    const start = pkg.scripts.start.split('&&').map((s) => s.trim());
    assert.equal(argv.join(' '), start.at(-1));
    assert.equal(start[0], 'npm run build', 'the image builds at image build time instead');
    assert.match(read('.ci/smoke-start.sh'), /setsid npm start/);
  });
});
