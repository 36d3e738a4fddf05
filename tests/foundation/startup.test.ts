// Start-up failures a site owner can cause: each exits non-zero with a message naming the cause.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../server/config.ts';
import { migrateToLatest, MigrationError, migrationsDir } from '../../server/db/migrate.ts';
import { createTestDatabase } from '../helpers/db.ts';

const root = path.resolve(import.meta.dirname, '../..');

function startServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['server/server.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bw-start-')), ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

describe('configuration', () => {
  test('every bad variable is named, all at once', () => {
    assert.throws(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', ALLOWED_ORIGINS: 'not a url', SECRET_KEY: 'short' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      for (const name of ['PORT', 'DATABASE_URL', 'ALLOWED_ORIGINS', 'SECRET_KEY']) assert.match(text, new RegExp(name));
      return true;
    });
  });

  test('provider credentials must come together', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', TWILIO_ACCOUNT_SID: 'AC1' }), /TWILIO_AUTH_TOKEN, TWILIO_FROM must be set together/);
  });

  test('production requires SECRET_KEY', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SECRET_KEY is required in production/);
  });

  test('origins are normalised and include PUBLIC_URL', () => {
    const c = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://book.example.com/', ALLOWED_ORIGINS: 'https://a.example/path, http://b.example:8080' });
    assert.deepEqual(c.allowedOrigins, ['https://book.example.com', 'https://a.example', 'http://b.example:8080']);
    assert.equal(c.publicUrl, 'https://book.example.com');
  });
});

describe('server start-up failures exit non-zero with a clear message', () => {
  test('a malformed variable', async () => {
    const { code, output } = await startServer({ PORT: 'seventy' });
    assert.equal(code, 1);
    assert.match(output, /PORT must be an integer/);
  });

  test('an unreachable DATABASE_URL', async () => {
    const { code, output } = await startServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    assert.equal(code, 1);
    assert.match(output, /cannot use PostgreSQL at 127\.0\.0\.1:1\/nothing/);
    assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
  });

  test('a port in use', async () => {
    const t = await createTestDatabase();
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, output } = await startServer({ DATABASE_URL: t.url, PORT: String(port), DEMO_DATA: 'false' });
      assert.equal(code, 1);
      assert.match(output, new RegExp(`port ${port} is already in use`));
    } finally {
      blocker.close();
      await t.drop();
    }
  });

  test('a failed migration is an error, never a silent success', async () => {
    const t = await createTestDatabase();
    // Inside the repo so the real migrations copied beside the broken one resolve 'kysely'.
    mkdirSync(path.join(root, '.data'), { recursive: true });
    const dir = mkdtempSync(path.join(root, '.data', 'mig-'));
    for (const f of readdirSync(migrationsDir)) copyFileSync(path.join(migrationsDir, f), path.join(dir, f));
    writeFileSync(path.join(dir, '2099-01-01T0000_broken.ts'),
      "export async function up(db: any) { await db.selectFrom('no_such_table').selectAll().execute(); }\n");
    try {
      await assert.rejects(migrateToLatest(t.db, dir), (err: unknown) => err instanceof MigrationError && /2099-01-01T0000_broken failed/.test(err.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await t.drop();
    }
  });
});
