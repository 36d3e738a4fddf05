// Concurrent attempts at the same slot within one process: the first one goes to the database,
// the others wait for it instead of queueing for connections and the specialist's lock only to
// learn the slot is gone. Purely an optimisation: the lock and the exclusion constraint decide,
// on every instance; a waiter whose leader did not settle the slot (a personal refusal such as a
// limit, or an error) simply makes its own attempt.

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface SlotGate {
  /**
   * Runs `attempt` as the leader for `key`, or, when an attempt at the same key is running, waits
   * for it and gets what `settle` made of its outcome (for instance: the slot is gone, here is
   * the leader's refusal to repeat).
   */
  enter<T, S>(key: string, attempt: () => Promise<T>, settle: (outcome: Settled<T>) => S): Promise<{ led: true; value: T } | { led: false; state: S }>;
}

export function slotGate(): SlotGate {
  const running = new Map<string, Promise<unknown>>();
  return {
    async enter<T, S>(key: string, attempt: () => Promise<T>, settle: (outcome: Settled<T>) => S) {
      const ahead = running.get(key);
      if (ahead !== undefined) return { led: false as const, state: (await ahead) as S };
      let publish!: (s: S) => void;
      running.set(key, new Promise<S>((resolve) => { publish = resolve; }));
      try {
        const value = await attempt();
        publish(settle({ ok: true, value }));
        return { led: true as const, value };
      } catch (error) {
        publish(settle({ ok: false, error }));
        throw error;
      } finally {
        running.delete(key);
      }
    },
  };
}
