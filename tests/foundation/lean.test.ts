// A lean process: provider SDKs are loaded only where their provider is configured. The app is
// built in a child process (a clean module graph) and reports every package it loaded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase } from '../helpers/db.ts';

const root = path.resolve(import.meta.dirname, '../..');
const REDIS = process.env.TEST_REDIS_URL;
// libphonenumber-js too: its metadata is ~19 MB resident, loaded by the first booking (server/phone/load.ts).
const SDKS = ['@googleapis/calendar', 'googleapis-common', 'google-auth-library', 'livekit-server-sdk', 'nodemailer', 'bullmq', 'ioredis', 'libphonenumber-js', 'web-push'];

async function loadedPackages(env: Record<string, string>): Promise<string[]> {
  const t = await createTestDatabase();
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['tests/helpers/loaded-packages.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: t.url, ...env },
      }, (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)));
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
  } finally {
    await t.drop();
  }
}

describe('provider SDKs load only when configured', () => {
  test('nothing configured: no Google, LiveKit, mail, BullMQ or Redis client in the process', async () => {
    const loaded = await loadedPackages({ IN_PROCESS_WORKER: 'true' });
    assert.ok(loaded.includes('fastify') && loaded.includes('pg'), loaded.join(', '));
    assert.deepEqual(loaded.filter((p) => SDKS.includes(p)), []);
  });

  test('REDIS_URL brings BullMQ and ioredis; LiveKit and Google settings alone load nothing until used', { skip: REDIS ? false : 'TEST_REDIS_URL is not set' }, async () => {
    const loaded = await loadedPackages({
      IN_PROCESS_WORKER: 'true', REDIS_URL: REDIS!,
      VIDEO_PROVIDER: 'livekit', LIVEKIT_URL: 'http://127.0.0.1:1', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's',
      GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret',
    });
    assert.ok(loaded.includes('bullmq') && loaded.includes('ioredis'), loaded.join(', '));
    assert.deepEqual(loaded.filter((p) => ['livekit-server-sdk', '@googleapis/calendar', 'nodemailer'].includes(p)), []);
  });
});
