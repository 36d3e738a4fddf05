// Concurrent attempts at the same slot within one process: the first one goes to the database,
// the others wait for it instead of queueing for connections and the specialist's lock only to
// learn the slot is gone. Purely an optimisation: the lock and the exclusion constraint decide,
// on every instance; a waiter whose leader did not settle the slot (a personal refusal such as a
// limit, or an error) simply makes its own attempt.

/** What a finished attempt says about the slot: 'gone' (booked, now or before), or 'open'. */
export type SlotState = 'gone' | 'open';

export interface SlotGate {
  /**
   * Runs `attempt` as the slot's leader, or, when another attempt at the same key is running,
   * waits for it: 'gone' then means the slot is taken and the caller can refuse at once.
   */
  enter<T>(key: string, attempt: () => Promise<T>, state: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => SlotState): Promise<{ led: true; value: T } | { led: false; state: SlotState }>;
}

export function slotGate(): SlotGate {
  const running = new Map<string, Promise<SlotState>>();
  return {
    async enter(key, attempt, state) {
      const ahead = running.get(key);
      if (ahead !== undefined) return { led: false, state: await ahead };
      let settle!: (s: SlotState) => void;
      running.set(key, new Promise<SlotState>((resolve) => { settle = resolve; }));
      try {
        const value = await attempt();
        settle(state({ ok: true, value }));
        return { led: true, value };
      } catch (error) {
        settle(state({ ok: false, error }));
        throw error;
      } finally {
        running.delete(key);
      }
    },
  };
}
