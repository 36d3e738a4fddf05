// The invisible proof of work on booking creation, ALTCHA v2 style (altcha-lib): the server hands
// out a signed challenge (salt, nonce, and the first half of the SHA-256 key a secret counter
// gives); the widget counts up with Web Crypto until it finds that counter and sends the key back.
// Verifying is one HMAC. A challenge is single-use (its signature is recorded until it expires)
// and expires by the app's clock, so the work cannot be reused to book again and again.
// A site owner may plug in a third-party CAPTCHA instead (BuildOptions.challenge).
import type { Challenge } from 'altcha-lib';
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { HttpError } from '../http/errors.ts';
import { subkey } from '../security/crypto.ts';

/** How long a challenge may be solved and used. */
export const CHALLENGE_TTL_MS = 10 * 60_000;

/** What GET /api/challenge answers: whether a proof is needed, and the challenge to solve. */
export type ChallengeOffer =
  | { required: false }
  | { required: true; kind: 'altcha'; challenge: Challenge }
  | { required: true; kind: string; site?: string };

/**
 * The hook: the built-in proof of work implements it, a third-party CAPTCHA (Turnstile,
 * hCaptcha, ...) can too: `offer` tells the widget what to do, `verify` checks what it sent.
 */
export interface ChallengeVerifier {
  offer(now: number): Promise<ChallengeOffer>;
  /** Throws HttpError 400 `challenge_required` / `challenge_invalid` / `challenge_expired` / `challenge_used`. */
  verify(solution: string | undefined, ctx: { db: Db; now: number; ip: string }): Promise<void>;
}

const invalid = (code: string, message: string) => new HttpError(400, code, message, { field: 'body.challenge' });

export const noChallenge: ChallengeVerifier = {
  async offer() { return { required: false }; },
  async verify() {},
};

interface Payload { challenge: Challenge; solution: { counter: number; derivedKey: string } }

function decode(text: string): Payload | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Payload;
    if (typeof value !== 'object' || value === null || typeof value.challenge !== 'object' || value.challenge === null
      || typeof value.challenge.parameters !== 'object' || value.challenge.parameters === null || typeof value.solution !== 'object' || value.solution === null) return null;
    return value;
  } catch {
    return null;
  }
}

/** Loaded on first use: start-up (and `npm run worker`) never pays for it. */
async function altcha() {
  const [lib, sha] = await Promise.all([import('altcha-lib'), import('altcha-lib/algorithms/sha')]);
  return { createChallenge: lib.createChallenge, randomInt: lib.randomInt, verifySolution: lib.verifySolution, deriveKey: sha.deriveKey };
}

export function proofOfWork(secretKey: Buffer, maxNumber: number): ChallengeVerifier {
  const hmacSignatureSecret = subkey(secretKey, 'altcha-signature').toString('hex');
  const hmacKeySignatureSecret = subkey(secretKey, 'altcha-key-signature').toString('hex');
  return {
    async offer(now) {
      const { createChallenge, randomInt, deriveKey } = await altcha();
      const challenge = await createChallenge({
        algorithm: 'SHA-256',
        cost: 1,
        // Deterministic mode: the secret counter bounds the work (on average half of maxNumber hashes).
        counter: randomInt(maxNumber, Math.ceil(maxNumber / 10)),
        deriveKey,
        hmacSignatureSecret,
        hmacKeySignatureSecret,
        // The expiry travels signed in `data` and is judged by the app's clock, not the library's.
        data: { expiresAt: now + CHALLENGE_TTL_MS },
      });
      return { required: true, kind: 'altcha', challenge };
    },
    async verify(solution, { db, now }) {
      if (solution === undefined || solution === '') throw invalid('challenge_required', 'Solve GET /api/challenge and send the proof as `challenge` (the widget does this by itself).');
      const payload = decode(solution);
      if (payload === null) throw invalid('challenge_invalid', 'The challenge proof is malformed.');
      const { verifySolution, deriveKey } = await altcha();
      const result = await verifySolution({
        challenge: payload.challenge, solution: payload.solution, deriveKey, hmacSignatureSecret, hmacKeySignatureSecret,
      }).catch(() => null);
      if (result === null || !result.verified) throw invalid('challenge_invalid', 'The challenge proof is wrong or was not issued by this server.');
      const expiresAt = Number(payload.challenge.parameters.data?.expiresAt);
      if (!Number.isFinite(expiresAt) || expiresAt < now) throw invalid('challenge_expired', 'The challenge expired: fetch a new one.');
      // Single use: the signature names the challenge; a second redemption finds it taken.
      const used = await db.insertInto('used_challenges').values({ id: payload.challenge.signature!, expires_at: new Date(expiresAt) })
        .onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
      if (used === undefined) throw invalid('challenge_used', 'This challenge was already used: fetch a new one.');
    },
  };
}

export function configuredChallenge(config: Config): ChallengeVerifier {
  return config.bookingChallenge.mode === 'off' ? noChallenge : proofOfWork(config.secretKey, config.bookingChallenge.maxNumber);
}
