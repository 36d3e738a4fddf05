// The booking's proof of work (the server's GET /api/challenge, ALTCHA v2: SHA-256, cost 1):
// count up until SHA-256(salt ‖ nonce ‖ counter as big-endian uint32) starts with the given
// prefix, with Web Crypto, in batches so the page stays responsive. Small on purpose: it is part
// of the widget's first load.

export interface AltchaChallenge {
  parameters: { salt: string; nonce: string; keyPrefix: string };
  signature: string;
}

const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const BATCH = 256;

/** The base64 payload POST /api/bookings takes as `challenge`. */
export async function solveChallenge(challenge: AltchaChallenge, signal?: AbortSignal, limit = 1e7): Promise<string> {
  const { salt, nonce, keyPrefix } = challenge.parameters;
  const head = new Uint8Array([...bytes(salt), ...bytes(nonce)]);
  const prefix = bytes(keyPrefix);
  for (let start = 0; start < limit; start += BATCH) {
    signal?.throwIfAborted();
    const keys = await Promise.all(Array.from({ length: BATCH }, (_, i) => {
      const data = new Uint8Array(head.length + 4);
      data.set(head);
      new DataView(data.buffer).setUint32(head.length, start + i);
      return crypto.subtle.digest('SHA-256', data);
    }));
    for (let i = 0; i < BATCH; i++) {
      const key = new Uint8Array(keys[i]!);
      if (prefix.every((b, j) => key[j] === b)) {
        const derivedKey = Array.from(key, (b) => b.toString(16).padStart(2, '0')).join('');
        return btoa(JSON.stringify({ challenge, solution: { counter: start + i, derivedKey } }));
      }
    }
  }
  throw new Error('challenge not solved');
}
