import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { seal, signState, unseal, verifyState } from '../../server/security/crypto.ts';

const key = randomBytes(32);

test('sealed values round-trip and differ each time', () => {
  const a = seal(key, 'refresh-token-123');
  assert.notEqual(a, seal(key, 'refresh-token-123'));
  assert.equal(unseal(key, a), 'refresh-token-123');
  assert.ok(!a.includes('refresh-token'));
});

test('a tampered value or another key is refused', () => {
  const sealed = seal(key, 'secret');
  const parts = sealed.split('.');
  parts[3] = Buffer.from('other').toString('base64url');
  assert.throws(() => unseal(key, parts.join('.')));
  assert.throws(() => unseal(randomBytes(32), sealed));
  assert.throws(() => unseal(key, 'garbage'));
});

test('signed state verifies until it expires, and not when forged', () => {
  const state = signState(key, { specialistId: 'abc' }, 1_000);
  assert.deepEqual(verifyState(key, state, 999), { specialistId: 'abc' });
  assert.equal(verifyState(key, state, 1_001), null);
  assert.equal(verifyState(randomBytes(32), state, 0), null);
  const [body, exp, mac] = state.split('.');
  assert.equal(verifyState(key, `${body}.${Number(exp) + 1000}.${mac}`, 0), null);
  assert.equal(verifyState(key, 'x.y', 0), null);
});
