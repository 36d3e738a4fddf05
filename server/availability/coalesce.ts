// Single-flight: concurrent calls with the same key share one in-flight computation. Nothing is
// kept once it settles, so no result outlives the requests that were waiting for it: a caller
// that joins gets data read no earlier than its own arrival minus one computation, the same as
// if it had arrived a moment sooner. Popular listings (a specialist's next weeks) are requested
// by many visitors at once; this turns N identical database reads into one.
export function singleFlight<V>(): (key: string, compute: () => Promise<V>) => Promise<V> {
  const inFlight = new Map<string, Promise<V>>();
  return (key, compute) => {
    const running = inFlight.get(key);
    if (running) return running;
    const p = compute().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  };
}
