// The pure parts: the room's window, who may join when (to the second), Daily's webhook
// signature and the self-signed token format, and the video configuration.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { checkJoin, roomName, roomWindow } from '../../server/video/policy.ts';
import { dailySignature, verifyDailyWebhook, WEBHOOK_TOLERANCE_MS } from '../../server/video/webhooks.ts';
import { roomProperties, signHs256 } from '../../server/video/daily.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { decodeJwt } from './fixtures.ts';

const start = new Date('2026-12-01T10:00:00Z');
const end = new Date('2026-12-01T10:45:00Z');
const MIN = 60_000;
const subject = { status: 'confirmed' as const, startsAt: start, endsAt: end };

describe('room window', () => {
  test('nbf 10 min before the start, exp 30 min after the end, in Unix seconds', () => {
    assert.deepEqual(roomWindow(start, end), { nbf: Date.parse('2026-12-01T09:50:00Z') / 1000, exp: Date.parse('2026-12-01T11:15:00Z') / 1000 });
    assert.equal(roomName('8a1c7e9e-0000-4000-8000-000000000001'), 'consult-8a1c7e9e-0000-4000-8000-000000000001');
  });

  test('room properties: private-room settings, recording only when asked', () => {
    const spec = { name: 'r', nbf: 1, exp: 2, maxParticipants: 2, recording: false };
    assert.deepEqual(roomProperties(spec), { nbf: 1, exp: 2, max_participants: 2, eject_at_room_exp: true, enable_prejoin_ui: true });
    assert.equal(roomProperties({ ...spec, recording: true }).enable_recording, 'cloud');
  });
});

describe('checkJoin', () => {
  const at = (ms: number) => start.getTime() + ms;
  test('visitor boundary: 5:00 before is open, 5:00.001 before is 1 s early', () => {
    assert.deepEqual(checkJoin(subject, 'visitor', at(-5 * MIN)), { ok: true });
    const early = checkJoin(subject, 'visitor', at(-5 * MIN - 1));
    assert.equal(early.ok, false);
    assert.equal(!early.ok && early.status, 425);
    assert.equal(!early.ok && early.status === 425 && early.secondsLeft, 1);
  });

  test('specialist boundary: 10:00 before is open, 10:01 is not', () => {
    assert.deepEqual(checkJoin(subject, 'specialist', at(-10 * MIN)), { ok: true });
    const early = checkJoin(subject, 'specialist', at(-10 * MIN - 1000));
    assert.equal(!early.ok && early.status === 425 && early.secondsLeft, 1);
  });

  test('closes at exp exactly', () => {
    const exp = end.getTime() + 30 * MIN;
    assert.deepEqual(checkJoin(subject, 'visitor', exp - 1), { ok: true });
    const late = checkJoin(subject, 'visitor', exp);
    assert.equal(!late.ok && late.status, 410);
  });

  test('status decides before time: pending/cancelled 409, no_show 410', () => {
    const now = start.getTime();
    assert.equal((checkJoin({ ...subject, status: 'pending' }, 'visitor', now) as { status: number }).status, 409);
    assert.equal((checkJoin({ ...subject, status: 'cancelled' }, 'specialist', now) as { code: string }).code, 'cancelled');
    assert.equal((checkJoin({ ...subject, status: 'no_show' }, 'specialist', now) as { status: number }).status, 410);
    assert.deepEqual(checkJoin({ ...subject, status: 'in_progress' }, 'visitor', now), { ok: true });
  });
});

describe('Daily webhook signature', () => {
  const secret = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
  const body = '{"type":"meeting.ended","payload":{"room":"r"}}';
  const now = Date.parse('2026-12-01T10:00:00Z');
  const ts = String(now / 1000);

  test('base64 HMAC-SHA256 of "timestamp.body" under the decoded secret', () => {
    const expected = createHmac('sha256', Buffer.from('0123456789abcdef0123456789abcdef')).update(`${ts}.${body}`).digest('base64');
    assert.equal(dailySignature(secret, ts, body), expected);
    assert.equal(verifyDailyWebhook(secret, { timestamp: ts, signature: expected }, body, now), true);
  });

  test('refuses a changed body, another timestamp, a stale delivery and missing headers', () => {
    const sig = dailySignature(secret, ts, body);
    assert.equal(verifyDailyWebhook(secret, { timestamp: ts, signature: sig }, `${body} `, now), false);
    assert.equal(verifyDailyWebhook(secret, { timestamp: String(now / 1000 + 1), signature: sig }, body, now), false);
    assert.equal(verifyDailyWebhook(secret, { timestamp: ts, signature: sig }, body, now + WEBHOOK_TOLERANCE_MS + 1000), false);
    assert.equal(verifyDailyWebhook(secret, { timestamp: ts }, body, now), false);
    assert.equal(verifyDailyWebhook(secret, { timestamp: 'yesterday', signature: sig }, body, now), false);
  });

  test('a millisecond timestamp is understood too', () => {
    const msTs = String(now);
    assert.equal(verifyDailyWebhook(secret, { timestamp: msTs, signature: dailySignature(secret, msTs, body) }, body, now), true);
  });
});

describe('self-signed tokens', () => {
  test('HS256 JWT whose claims decode back and whose signature checks with the key', () => {
    const token = signHs256({ r: 'room', d: 'dom', o: false }, 'key');
    const [head, payload, sig] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(head, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(decodeJwt(token), { r: 'room', d: 'dom', o: false });
    assert.equal(sig, createHmac('sha256', 'key').update(`${head}.${payload}`).digest('base64url'));
  });
});

describe('video configuration', () => {
  const base = { NODE_ENV: 'test', DATABASE_URL: 'postgres://x@127.0.0.1/db' };
  test('defaults to Daily; LiveKit by VIDEO_PROVIDER with its three variables', () => {
    assert.equal(loadConfig(base).videoProvider, 'daily');
    const lk = loadConfig({ ...base, VIDEO_PROVIDER: 'livekit', LIVEKIT_URL: 'wss://lk.example.com', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' });
    assert.equal(lk.videoProvider, 'livekit');
    assert.deepEqual({ ...lk.livekit, recordingsDir: undefined }, { url: 'wss://lk.example.com', apiKey: 'k', apiSecret: 's', recordingsDir: undefined });
    assert.equal(lk.livekit!.recordingsDir, path.join(lk.dataDir, 'recordings'), 'egress files default to DATA_DIR/recordings');
    assert.equal(loadConfig({ ...base, VIDEO_PROVIDER: 'livekit', LIVEKIT_URL: 'wss://lk.example.com', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's', LIVEKIT_RECORDINGS_DIR: '/srv/egress' }).livekit!.recordingsDir, '/srv/egress');
  });

  test('an unknown provider or half a LiveKit setup is a start-up error', () => {
    assert.throws(() => loadConfig({ ...base, VIDEO_PROVIDER: 'zoom' }), (e: unknown) => e instanceof ConfigError && /VIDEO_PROVIDER/.test(e.message));
    assert.throws(() => loadConfig({ ...base, LIVEKIT_URL: 'wss://lk.example.com' }), (e: unknown) => e instanceof ConfigError && /LIVEKIT_API_KEY/.test(e.message));
  });
});
