// The rate limiter's store: Redis when it answers (limits shared by every instance), this
// process's own memory when it does not (limits per instance, still limits). A Redis outage must
// neither hang requests (the connection fails commands at once and bounds each one, see
// http/redis.ts) nor switch rate limiting off.
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

interface Result { current: number; ttl: number }
type Callback = (err: Error | null, res: Result | null) => void;
interface Store {
  incr(key: string, cb: Callback, timeWindow: number, max: number): void;
  read?(key: string, cb: Callback, timeWindow: number, max: number): void;
  child(routeOptions: unknown): Store;
}
type StoreClass = new (...args: unknown[]) => Store;

const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as StoreClass;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as StoreClass;

export interface FailoverEvents {
  /** Called once when Redis stops answering, and once when it answers again. */
  onFallback(active: boolean, err?: Error): void;
}

class FailoverStore implements Store {
  readonly shared: Store;
  readonly local: Store;
  readonly events: FailoverEvents;
  readonly state: { down: boolean };
  constructor(shared: Store, local: Store, events: FailoverEvents, state: { down: boolean }) {
    this.shared = shared;
    this.local = local;
    this.events = events;
    this.state = state;
  }

  private run(method: 'incr' | 'read', key: string, cb: Callback, timeWindow: number, max: number) {
    const shared = this.shared[method];
    if (!shared) return this.local[method]!.call(this.local, key, cb, timeWindow, max);
    shared.call(this.shared, key, (err, res) => {
      if (!err) {
        if (this.state.down) { this.state.down = false; this.events.onFallback(false); }
        return cb(null, res);
      }
      if (!this.state.down) { this.state.down = true; this.events.onFallback(true, err); }
      this.local[method]!.call(this.local, key, cb, timeWindow, max);
    }, timeWindow, max);
  }

  incr(key: string, cb: Callback, timeWindow: number, max: number) { this.run('incr', key, cb, timeWindow, max); }
  read(key: string, cb: Callback, timeWindow: number, max: number) { this.run('read', key, cb, timeWindow, max); }
  child(routeOptions: unknown): Store {
    return new FailoverStore(this.shared.child(routeOptions), this.local.child(routeOptions), this.events, this.state);
  }
}

/** A store class for @fastify/rate-limit's `store` option. */
export function failoverStore(redis: Redis, nameSpace: string, events: FailoverEvents): StoreClass {
  const state = { down: false };
  return class {
    constructor(params: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
      const shared = new RedisStore(params.continueExceeding, params.exponentialBackoff, redis, nameSpace);
      const local = new LocalStore(params.continueExceeding, params.exponentialBackoff, 5000);
      return new FailoverStore(shared, local, events, state);
    }
  } as unknown as StoreClass;
}
