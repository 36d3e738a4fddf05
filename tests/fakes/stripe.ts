// A local stand-in for Stripe's API (https://docs.stripe.com/api), for the official SDK pointed at
// it through STRIPE_API_URL. It follows the documented contract where this project touches it:
//  - form-encoded bodies with bracketed keys (line_items[0][price_data][currency]), Bearer secret
//    key, errors as { error: { type, code, message, param } } with Stripe's status codes;
//  - Idempotency-Key on POSTs: the first result (status and body) is saved once the endpoint runs
//    and replayed with `Idempotent-Replayed: true`; the same key with other parameters is 400
//    idempotency_error; a key still in flight is 409. Injected 429/500 answers happen before the
//    endpoint runs, so they are not saved (as with Stripe's own rate limiter and outages);
//  - Checkout Sessions (create with expires_at 30 min..24 h ahead, retrieve, expire: open ones
//    only), PaymentIntents and Refunds (pending, then succeeded or failed; list by payment_intent;
//    never more than what is left of the charge);
//  - events delivered to the webhook endpoint as Stripe does: POST JSON signed with
//    `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the whsec_ secret>`,
//    retried until a 2xx; tests can hold, reorder and replay them;
//  - a hosted Checkout page (HTML, no card fields: this is test mode) with Pay and Cancel that
//    completes the session, sends checkout.session.completed and redirects to success_url.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, any>;

export interface StripeRequestLog {
  method: string;
  path: string;
  params: Obj;
  idempotencyKey: string | null;
  status: number;
  replayed: boolean;
}

interface Failure { status: 429 | 500 | 503; path?: string; method?: string; retryAfter?: number }

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/** Decodes Stripe's bracketed form encoding into nested objects and arrays. */
export function parseForm(raw: string): Obj {
  const out: Obj = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const parts = key.replace(/\]/g, '').split('[');
    let node: any = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      if (last) node[part] = value;
      else node = node[part] ??= nextIsIndex ? [] : {};
    });
  }
  return out;
}

export class FakeStripe {
  readonly secretKey = `sk_test_${randomBytes(16).toString('hex')}`;
  readonly webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
  readonly sessions = new Map<string, Obj>();
  readonly intents = new Map<string, Obj>();
  readonly refunds = new Map<string, Obj>();
  readonly events: Obj[] = [];
  readonly requests: StripeRequestLog[] = [];
  /** Where events go (our /api/webhooks/stripe); unset: they are only recorded. */
  webhookUrl: string | null = null;
  /** Stripe's clock (tests pass the app's): creation times, expires_at bounds, signatures. */
  now: () => number = () => Date.now();
  /** What a new refund becomes once it settles: Stripe test cards refund successfully. */
  refundOutcome: 'succeeded' | 'failed' = 'succeeded';
  /** Settle refunds by themselves after this delay (ms); null: only when settleRefunds() is called. */
  refundSettleMs: number | null = 0;
  /** Deliver events as they happen; false: keep them until deliver() (to reorder or drop them). */
  autoDeliver = true;
  /** Answer nothing for POSTs to these paths until released (the request still takes effect). */
  readonly #held = new Map<string, { release: (() => void)[] }>();
  readonly #failures: Failure[] = [];
  readonly #drops = new Map<string, number>();
  readonly #idempotency = new Map<string, { params: string; status: number; body: unknown } | 'in-flight'>();
  readonly #undelivered: Obj[] = [];
  #delivering: Promise<void> = Promise.resolve();
  #server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((req, res) => { this.#handle(req, res).catch((err) => { res.writeHead(500); res.end(String(err)); }); });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const h of this.#held.values()) h.release.forEach((r) => r());
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  /** The environment that points the app at this fake. */
  env(): Record<string, string> {
    return { STRIPE_SECRET_KEY: this.secretKey, STRIPE_WEBHOOK_SECRET: this.webhookSecret, STRIPE_API_URL: this.url };
  }

  /** The next `count` API calls (optionally only to `path`) answer this status before doing anything. */
  failNext(status: Failure['status'], count = 1, options: { path?: string; method?: string; retryAfter?: number } = {}): void {
    for (let i = 0; i < count; i++) this.#failures.push({ status, ...options });
  }

  /** POSTs to `path` take effect but get no answer until release(); returns release. */
  hold(path: string): () => void {
    const entry = { release: [] as (() => void)[] };
    this.#held.set(path, entry);
    return () => { this.#held.delete(path); entry.release.splice(0).forEach((r) => r()); };
  }

  /** POSTs to `path` take effect, then the connection drops before the answer (the client must retry). */
  dropAnswers(path: string, count = 1): void {
    this.#drops.set(path, (this.#drops.get(path) ?? 0) + count);
  }

  /** Forgets saved idempotency results, as Stripe does after 24 hours. */
  forgetIdempotencyKeys(): void {
    this.#idempotency.clear();
  }

  count(method: string, pathPrefix: string, filter: (r: StripeRequestLog) => boolean = () => true): number {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix) && filter(r)).length;
  }

  refundsOf(paymentIntent: string): Obj[] {
    return [...this.refunds.values()].filter((r) => r.payment_intent === paymentIntent);
  }

  // ---- the hosted page, as a browser or a test "visitor" uses it ----

  /** What the visitor's Pay click does: completes the session (PaymentIntent succeeded), then the event. */
  pay(sessionId: string): Obj {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    if (s.status !== 'open') throw new Error(`session ${sessionId} is ${s.status}`);
    const now = this.#seconds();
    const intent = {
      id: id('pi'), object: 'payment_intent', amount: s.amount_total, amount_received: s.amount_total, currency: s.currency,
      status: 'succeeded', created: now, latest_charge: id('ch'), metadata: { ...(s.payment_intent_data_metadata ?? {}) },
      livemode: false,
    };
    this.intents.set(intent.id, intent);
    Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: intent.id, url: null });
    this.#emit('payment_intent.succeeded', intent);
    this.#emit('checkout.session.completed', s);
    return s;
  }

  // ---- events ----

  /** Sends the held events (in the given order of ids, else as they happened). */
  async deliver(order?: string[]): Promise<void> {
    const batch = order ? order.map((i) => this.#undelivered.find((e) => e.id === i)!).filter(Boolean) : [...this.#undelivered];
    for (const e of batch) this.#undelivered.splice(this.#undelivered.indexOf(e), 1);
    for (const e of batch) await this.send(e);
  }

  pendingEvents(): Obj[] {
    return [...this.#undelivered];
  }

  /** Waits until every event delivered so far was answered. */
  async drained(): Promise<void> {
    let last: Promise<void>;
    do { last = this.#delivering; await last; } while (last !== this.#delivering);
  }

  /** POSTs one event to the endpoint, signed (or signed with another secret / tampered), retrying a non-2xx a few times. */
  async send(event: Obj, options: { secret?: string; tamper?: boolean; retries?: number; timestamp?: number } = {}): Promise<Response> {
    if (!this.webhookUrl) throw new Error('no webhook endpoint');
    const body = JSON.stringify(event);
    const t = options.timestamp ?? this.#seconds();
    const signature = createHmac('sha256', options.secret ?? this.webhookSecret).update(`${t}.${body}`).digest('hex');
    let res!: Response;
    for (let attempt = 0; attempt <= (options.retries ?? 3); attempt++) {
      res = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': `t=${t},v1=${signature}`, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body: options.tamper ? body.replace('"livemode":false', '"livemode":true') : body,
      });
      await res.arrayBuffer();
      if (res.ok || options.retries === 0 || (res.status >= 400 && res.status < 500)) break;
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
    return res;
  }

  eventsOf(type: string): Obj[] {
    return this.events.filter((e) => e.type === type);
  }

  #emit(type: string, object: Obj): Obj {
    const event = {
      id: `evt_${randomBytes(12).toString('hex')}`, object: 'event', api_version: '2026-10-28.endive', created: this.#seconds(),
      data: { object: structuredClone(object) }, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type,
    };
    this.events.push(event);
    if (this.webhookUrl && this.autoDeliver) {
      // One at a time and after the API answer, like Stripe's asynchronous delivery.
      this.#delivering = this.#delivering.then(() => new Promise((r) => setImmediate(r))).then(() => this.send(event)).then(() => {}, () => {});
    } else if (this.webhookUrl) this.#undelivered.push(event);
    return event;
  }

  /** Moves pending refunds to their outcome (refund.updated, and refund.failed for failures). */
  settleRefunds(): void {
    for (const r of this.refunds.values()) {
      if (r.status !== 'pending') continue;
      r.status = this.refundOutcome;
      if (r.status === 'failed') {
        r.failure_reason = 'expired_or_canceled_card';
        const intent = this.intents.get(r.payment_intent);
        if (intent) intent.amount_refunded = (intent.amount_refunded ?? 0) - r.amount;
        this.#emit('refund.failed', r);
      }
      this.#emit('refund.updated', r);
    }
  }

  #seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  // ---- the API ----

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const path = url.pathname;

    if (path.startsWith('/pay/')) return this.#page(method, path, res);

    const params = method === 'GET' ? parseForm(url.search.slice(1)) : parseForm(raw);
    const key = method === 'POST' ? ((req.headers['idempotency-key'] as string | undefined) ?? null) : null;
    const log: StripeRequestLog = { method, path, params, idempotencyKey: key, status: 0, replayed: false };
    this.requests.push(log);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      log.status = status;
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, type: string, message: string, extra: Obj = {}) => send(status, { error: { type, message, ...extra } });

    if (req.headers.authorization !== `Bearer ${this.secretKey}`) {
      return fail(401, 'invalid_request_error', 'Invalid API Key provided.');
    }
    const failure = this.#failures.findIndex((f) => (f.path === undefined || path === f.path) && (f.method === undefined || f.method === method));
    if (failure >= 0) {
      const [f] = this.#failures.splice(failure, 1);
      const headers: Record<string, string> = f!.retryAfter ? { 'retry-after': String(f!.retryAfter) } : {};
      if (f!.status === 429) return send(429, { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' } }, headers);
      return send(f!.status, { error: { type: 'api_error', message: 'An unknown error occurred.' } }, headers);
    }

    if (key !== null) {
      const seen = this.#idempotency.get(key);
      const fingerprint = `${method} ${path} ${JSON.stringify(params)}`;
      if (seen === 'in-flight') return fail(409, 'idempotency_error', 'There is currently another in-progress request using this Idempotent Key. Please try again later.');
      if (seen) {
        if (seen.params !== fingerprint) {
          return fail(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
        }
        log.replayed = true;
        return send(seen.status, seen.body, { 'idempotent-replayed': 'true', 'original-request': id('req') });
      }
      this.#idempotency.set(key, 'in-flight');
      const [status, body] = this.#route(method, path, params);
      this.#idempotency.set(key, { params: fingerprint, status, body });
      const drops = this.#drops.get(path) ?? 0;
      if (drops > 0) {
        this.#drops.set(path, drops - 1);
        log.status = -1;
        return void req.socket.destroy();
      }
      return this.#answer(path, () => send(status, body, { 'idempotency-key': key }));
    }
    const [status, body] = this.#route(method, path, params);
    return send(status, body);
  }

  /** Answers now, or once a held path is released. */
  async #answer(path: string, respond: () => void): Promise<void> {
    const held = this.#held.get(path);
    if (!held) return respond();
    await new Promise<void>((resolve) => held.release.push(resolve));
    respond();
  }

  #route(method: string, path: string, p: Obj): [number, unknown] {
    const err = (status: number, message: string, extra: Obj = {}): [number, unknown] =>
      [status, { error: { type: 'invalid_request_error', message, ...extra } }];
    const seg = path.split('/').filter(Boolean); // ['v1', 'checkout', 'sessions', ...]
    if (seg[0] !== 'v1') return err(404, `Unrecognized request URL (${method}: ${path}).`);
    const now = this.#seconds();

    if (seg[1] === 'checkout' && seg[2] === 'sessions') {
      if (method === 'POST' && seg.length === 3) {
        if (p.mode !== 'payment') return err(400, 'Missing required param: mode.', { param: 'mode', code: 'parameter_missing' });
        const item = p.line_items?.[0];
        const amount = Number(item?.price_data?.unit_amount) * Number(item?.quantity ?? 1);
        if (!item?.price_data?.currency || !Number.isInteger(amount) || amount <= 0) return err(400, 'Invalid line_items.', { param: 'line_items' });
        if (amount < 50) return err(400, 'The Checkout Session\'s total amount due must add up to at least €0.50 eur', { code: 'amount_too_small' });
        if (!p.success_url) return err(400, 'Missing required param: success_url.', { param: 'success_url', code: 'parameter_missing' });
        const expires = p.expires_at === undefined ? now + 86_400 : Number(p.expires_at);
        if (!(expires >= now + 1800 - 1 && expires <= now + 86_400)) {
          return err(400, 'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', { param: 'expires_at' });
        }
        const sid = `cs_test_${randomBytes(24).toString('hex')}`;
        const session = {
          id: sid, object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid',
          amount_subtotal: amount, amount_total: amount, currency: String(item.price_data.currency).toLowerCase(),
          client_reference_id: p.client_reference_id ?? null, customer_email: p.customer_email ?? null, locale: p.locale ?? null,
          created: now, expires_at: expires, metadata: { ...(p.metadata ?? {}) }, payment_intent: null,
          success_url: p.success_url, cancel_url: p.cancel_url ?? null, url: `${this.url}/pay/${sid}`, livemode: false,
          product_name: item.price_data.product_data?.name ?? '',
          payment_intent_data_metadata: { ...(p.payment_intent_data?.metadata ?? {}) },
        };
        this.sessions.set(sid, session);
        return [200, this.#public(session)];
      }
      const s = this.sessions.get(seg[3] ?? '');
      if (!s) return err(404, `No such checkout.session: '${seg[3]}'`, { code: 'resource_missing', param: 'session' });
      if (method === 'GET' && seg.length === 4) return [200, this.#public(s)];
      if (method === 'POST' && seg[4] === 'expire') {
        if (s.status !== 'open') return err(400, `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`);
        Object.assign(s, { status: 'expired', url: null });
        this.#emit('checkout.session.expired', this.#public(s));
        return [200, this.#public(s)];
      }
    }

    if (seg[1] === 'payment_intents' && method === 'GET' && seg.length === 3) {
      const pi = this.intents.get(seg[2]!);
      return pi ? [200, pi] : err(404, `No such payment_intent: '${seg[2]}'`, { code: 'resource_missing' });
    }

    if (seg[1] === 'refunds') {
      if (method === 'POST' && seg.length === 2) {
        const pi = this.intents.get(p.payment_intent ?? '');
        if (!pi) return err(400, `No such payment_intent: '${p.payment_intent}'`, { code: 'resource_missing', param: 'payment_intent' });
        const left = pi.amount_received - (pi.amount_refunded ?? 0);
        if (left <= 0) return err(400, `Charge ${pi.latest_charge} has already been refunded.`, { code: 'charge_already_refunded' });
        const amount = p.amount === undefined ? left : Number(p.amount);
        if (!Number.isInteger(amount) || amount <= 0) return err(400, 'Invalid positive integer', { param: 'amount' });
        if (amount > left) return err(400, `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, { param: 'amount' });
        pi.amount_refunded = (pi.amount_refunded ?? 0) + amount;
        const refund = {
          id: `re_${randomBytes(12).toString('hex')}`, object: 'refund', amount, currency: pi.currency, charge: pi.latest_charge,
          payment_intent: pi.id, created: now, metadata: { ...(p.metadata ?? {}) }, reason: p.reason ?? null, status: 'pending',
          failure_reason: null, balance_transaction: null,
        };
        this.refunds.set(refund.id, refund);
        this.#emit('refund.created', refund);
        if (this.refundSettleMs !== null) setTimeout(() => this.settleRefunds(), this.refundSettleMs);
        return [200, refund];
      }
      if (method === 'GET' && seg.length === 2) {
        let data = [...this.refunds.values()].sort((a, b) => b.created - a.created);
        if (p.payment_intent) data = data.filter((r) => r.payment_intent === p.payment_intent);
        const limit = Math.min(100, Number(p.limit ?? 10));
        return [200, { object: 'list', data: data.slice(0, limit), has_more: data.length > limit, url: '/v1/refunds' }];
      }
      if (method === 'GET' && seg.length === 3) {
        const r = this.refunds.get(seg[2]!);
        return r ? [200, r] : err(404, `No such refund: '${seg[2]}'`, { code: 'resource_missing' });
      }
    }
    return err(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  /** A session as the API shows it (without the fake's own bookkeeping fields). */
  #public(s: Obj): Obj {
    const { product_name: _n, payment_intent_data_metadata: _m, ...rest } = s;
    return structuredClone(rest);
  }

  #page(method: string, path: string, res: ServerResponse): void {
    const [, , sid, action] = path.split('/');
    const s = this.sessions.get(sid ?? '');
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test mode checkout</title></head><body>${body}</body></html>`);
    };
    if (!s) return html(404, '<h1>Something went wrong</h1><p>This checkout link is not valid.</p>');
    if (s.status === 'open' && this.#seconds() >= s.expires_at) Object.assign(s, { status: 'expired', url: null });
    if (method === 'POST' && action === 'pay') {
      if (s.status !== 'open') return html(410, `<h1 id="gone">This checkout session is ${s.status}</h1>`);
      this.pay(s.id);
      res.writeHead(303, { location: String(s.success_url).replace('{CHECKOUT_SESSION_ID}', s.id) });
      return void res.end();
    }
    if (s.status !== 'open') return html(410, `<h1 id="gone">This checkout session is ${s.status}</h1>`);
    const amount = new Intl.NumberFormat('en', { style: 'currency', currency: s.currency }).format(s.amount_total / 100);
    html(200, `<main><p>TEST MODE</p><h1 id="product">${escape(s.product_name)}</h1><p id="amount">${amount}</p>
<p id="email">${escape(s.customer_email ?? '')}</p>
<form method="post" action="/pay/${s.id}/pay"><button id="pay" type="submit">Pay ${amount}</button></form>
${s.cancel_url ? `<a id="cancel" href="${escape(s.cancel_url)}">Back</a>` : ''}</main>`);
  }
}

function escape(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
