// Replay protection for the providers' webhooks: a signature proves who sent a delivery, not
// that it is new, and a captured delivery stays valid for the signature's whole window (Daily's
// 5-minute timestamp tolerance, LiveKit's token lifetime). Each delivery id is recorded once;
// a second arrival is acknowledged and ignored. Receipts outlive any such window by far and are
// cleared by the maintenance job.
import { createHash } from 'node:crypto';
import type { Db } from '../db/pool.ts';

export type Provider = 'daily' | 'livekit';

/** The delivery's own id, or (should a provider omit it) a digest of what it signed. */
export function deliveryId(id: unknown, signed: string): string {
  return typeof id === 'string' && id !== '' && id.length <= 200 ? id : `sha256:${createHash('sha256').update(signed).digest('hex')}`;
}

/** True the first time this delivery is seen; false for a replay. */
export async function firstReceipt(db: Db, provider: Provider, id: string, now: number): Promise<boolean> {
  const row = await db.insertInto('webhook_receipts').values({ provider, delivery_id: id, received_at: new Date(now) })
    .onConflict((oc) => oc.columns(['provider', 'delivery_id']).doNothing()).returning('delivery_id').executeTakeFirst();
  return row !== undefined;
}

/** Applying failed: forget the receipt, so the provider's retry is processed. */
export async function dropReceipt(db: Db, provider: Provider, id: string): Promise<void> {
  await db.deleteFrom('webhook_receipts').where('provider', '=', provider).where('delivery_id', '=', id).execute();
}

/** Runs `apply` once per delivery id: 'ignored' for a replay. */
export async function once<T>(db: Db, provider: Provider, id: string, now: number, apply: () => Promise<T>): Promise<T | 'ignored'> {
  if (!(await firstReceipt(db, provider, id, now))) return 'ignored';
  try {
    return await apply();
  } catch (err) {
    await dropReceipt(db, provider, id);
    throw err;
  }
}
