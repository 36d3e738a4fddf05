// Production-safe configuration: every enum-like variable is checked up front and named when
// wrong, production refuses the development conveniences it would otherwise fall back to, and
// the README documents exactly the variables the server reads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { CONFIG_VARIABLES, ConfigError, LOG_LEVELS, loadConfig } from '../../server/config.ts';

const root = path.resolve(import.meta.dirname, '../..');
const KEY = 'ab'.repeat(32);
/** What a production deployment sets at the least. */
const PRODUCTION = {
  NODE_ENV: 'production', PUBLIC_URL: 'https://booking.example.com', SECRET_KEY: KEY,
  SMTP_URL: 'smtp://mail.example.com:587', MAIL_FROM: 'Bookings <bookings@example.com>',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return [];
}

const only = (list: string[], re: RegExp) => {
  assert.equal(list.filter((p) => re.test(p)).length, 1, list.join('\n'));
};

describe('enum-like variables are validated up front', () => {
  test('NODE_ENV other than development, test or production is an error, not development', () => {
    only(problems({ NODE_ENV: 'prod' }), /^NODE_ENV must be development, test or production \(got "prod"\)$/);
    for (const ok of ['development', 'test', 'production']) assert.equal(problems({ ...PRODUCTION, NODE_ENV: ok }).length, 0, ok);
  });

  test('LOG_LEVEL is one of pino\'s levels', () => {
    assert.deepEqual([...LOG_LEVELS].sort(), [...Object.keys(pino.levels.values), 'silent'].sort());
    only(problems({ NODE_ENV: 'test', LOG_LEVEL: 'verbose' }), /^LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent \(got "verbose"\)$/);
    assert.equal(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel, 'debug');
  });

  test('VIDEO_PROVIDER and MAIL_TRANSPORT name their choices', () => {
    only(problems({ NODE_ENV: 'test', VIDEO_PROVIDER: 'zoom' }), /^VIDEO_PROVIDER must be daily, livekit, google_meet or teams/);
    only(problems({ NODE_ENV: 'test', MAIL_TRANSPORT: 'pigeon' }), /^MAIL_TRANSPORT must be smtp or files \(got "pigeon"\)$/);
  });

  test('TRUST_PROXY: on, off, or the proxies\' addresses; never a hop count Fastify would ignore', () => {
    assert.equal(loadConfig({ NODE_ENV: 'test' }).trustProxy, false);
    assert.equal(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'true' }).trustProxy, true);
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, ::1, uniquelocal' }).trustProxy,
      ['10.0.0.0/8', '127.0.0.1', '::1', 'uniquelocal']);
    only(problems({ NODE_ENV: 'test', TRUST_PROXY: '2' }), /^TRUST_PROXY must be true, false or the proxies' addresses/);
    only(problems({ NODE_ENV: 'test', TRUST_PROXY: '10.0.0.0/33' }), /bad: "10\.0\.0\.0\/33"/);
  });

  test('HOST_REMINDER_MINUTES: up to 5 different minutes from 1 to 10080, largest first, or none', () => {
    assert.deepEqual(loadConfig({ NODE_ENV: 'test' }).hostReminderMinutes, [60, 10]);
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', HOST_REMINDER_MINUTES: '10, 1440,60' }).hostReminderMinutes, [1440, 60, 10]);
    assert.deepEqual(loadConfig({ NODE_ENV: 'test', HOST_REMINDER_MINUTES: 'none' }).hostReminderMinutes, []);
    only(problems({ NODE_ENV: 'test', HOST_REMINDER_MINUTES: '60,60' }), /^HOST_REMINDER_MINUTES must be up to 5 different .*60 minutes is given twice\)$/);
    only(problems({ NODE_ENV: 'test', HOST_REMINDER_MINUTES: '0' }), /^HOST_REMINDER_MINUTES must be .*0 is not a whole number of minutes from 1 to 10080\)$/);
    only(problems({ NODE_ENV: 'test', HOST_REMINDER_MINUTES: '1,2,3,4,5,6' }), /at most 5 reminders \(got 6\)\)$/);
  });

  test('MS_TENANT cannot smuggle a path into the login URL', () => {
    only(problems({ NODE_ENV: 'test', MS_TENANT: 'common/../x' }), /^MS_TENANT must be/);
  });

  test('metrics: a token strong enough for a bearer header, a port of its own', () => {
    only(problems({ NODE_ENV: 'test', METRICS_TOKEN: 'short' }), /^METRICS_TOKEN must be at least 24 characters$/);
    only(problems({ NODE_ENV: 'test', METRICS_TOKEN: 'a token with spaces in it, long enough' }), /^METRICS_TOKEN may only use/);
    only(problems({ NODE_ENV: 'test', PORT: '4000', METRICS_PORT: '4000' }), /^METRICS_PORT must differ from PORT \(4000\)$/);
    only(problems({ NODE_ENV: 'test', METRICS_PORT: 'nine' }), /^METRICS_PORT must be an integer/);
    const c = loadConfig({ NODE_ENV: 'test', HOST: '0.0.0.0', METRICS_PORT: '9464', METRICS_TOKEN: 'm'.repeat(32) });
    assert.deepEqual(c.metrics, { token: 'm'.repeat(32), port: 9464, host: '0.0.0.0' });
    assert.deepEqual(loadConfig({ NODE_ENV: 'test' }).metrics, { token: null, port: null, host: '127.0.0.1' });
  });
});

describe('production refuses development fallbacks', () => {
  test('PUBLIC_URL, SECRET_KEY and a mail server are required, all named at once', () => {
    const list = problems({ NODE_ENV: 'production' });
    only(list, /^PUBLIC_URL is required in production/);
    only(list, /^SECRET_KEY is required in production/);
    only(list, /^SMTP_URL is required in production \(or set MAIL_TRANSPORT=files/);
    only(list, /^MAIL_FROM is required in production/);
  });

  test('a complete production configuration: SMTP, no demo data', () => {
    const c = loadConfig(PRODUCTION);
    assert.equal(c.nodeEnv, 'production');
    assert.equal(c.publicUrl, 'https://booking.example.com');
    assert.equal(c.demoData, false);
    assert.equal(c.mail.transport, 'smtp');
    assert.equal(c.mail.smtpUrl, 'smtp://mail.example.com:587');
  });

  test('demo data and mail files only when asked for', () => {
    const { SMTP_URL: _smtp, MAIL_FROM: _from, ...noMail } = PRODUCTION;
    const c = loadConfig({ ...noMail, MAIL_TRANSPORT: 'files', DEMO_DATA: 'true' });
    assert.equal(c.mail.transport, 'files');
    assert.equal(c.mail.smtpUrl, null);
    assert.equal(c.demoData, true);
  });

  test('development keeps its conveniences: mail to files, demo data, localhost links', () => {
    const c = loadConfig({ NODE_ENV: 'test' });
    assert.equal(c.mail.transport, 'files');
    assert.equal(c.demoData, true);
    assert.equal(c.publicUrl, 'http://localhost:3000');
  });

  test('development without ADMIN_TOKEN makes one in the data folder (mode 600, kept across restarts); production does not', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bw-config-'));
    try {
      const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir });
      assert.match(first.adminToken ?? '', /^bwa_[A-Za-z0-9_-]{43}$/);
      assert.equal(first.adminTokenFile, path.join(dir, 'admin.token'));
      assert.equal(statSync(first.adminTokenFile).mode & 0o777, 0o600);
      assert.equal(loadConfig({ NODE_ENV: 'development', DATA_DIR: dir }).adminToken, first.adminToken);
      const given = loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, ADMIN_TOKEN: 'x'.repeat(24) });
      assert.deepEqual([given.adminToken, given.adminTokenFile], ['x'.repeat(24), null]);
      const production = loadConfig({ ...PRODUCTION, DATA_DIR: dir });
      assert.deepEqual([production.adminToken, production.adminTokenFile], [null, null]);
      assert.equal(loadConfig({ NODE_ENV: 'test', DATA_DIR: dir }).adminToken, null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('mail settings that contradict each other are refused', () => {
    only(problems({ NODE_ENV: 'test', MAIL_TRANSPORT: 'smtp' }), /^SMTP_URL is required with MAIL_TRANSPORT=smtp$/);
    only(problems({ NODE_ENV: 'test', MAIL_TRANSPORT: 'files', SMTP_URL: 'smtp://x' }), /^MAIL_TRANSPORT=files and SMTP_URL contradict/);
  });
});

describe('the README documents every variable', () => {
  test('its configuration table lists exactly the variables the server reads', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    const documented = new Set([...section.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((x) => x[1])));
    assert.deepEqual([...documented].sort(), [...CONFIG_VARIABLES].sort());
  });
});
