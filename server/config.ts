// Configuration is read from the environment once, validated, and frozen. The rest of the
// code receives this object and never reads process.env itself.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { isValidTimeZone } from './availability/zone.ts';
import { isCountryCodeShape } from './phone/load.ts';
import type { CountryCode } from 'libphonenumber-js/max';
import { DEFAULT_HOST_REMINDER_MINUTES, HOST_REMINDER_RULES, normalizeReminderMinutes } from '../shared/reminders.ts';

/**
 * Every environment variable the server reads. The Reader only accepts these names, the README's
 * configuration table and compose.yaml are checked against this list (tests/foundation), so a
 * variable cannot be added without being documented.
 */
export const CONFIG_VARIABLES = [
  'NODE_ENV', 'PORT', 'HOST', 'PUBLIC_URL', 'DATABASE_URL', 'DATABASE_POOL_SIZE', 'EMBEDDED_PG_PORT', 'DATA_DIR', 'REDIS_URL',
  'IN_PROCESS_WORKER', 'ADMIN_TOKEN', 'SECRET_KEY', 'ALLOWED_ORIGINS', 'RATE_LIMIT_WRITES_PER_MINUTE',
  'TRUST_PROXY', 'LOG_LEVEL', 'DEMO_DATA', 'MAIL_TRANSPORT', 'SMTP_URL', 'MAIL_FROM',
  'METRICS_TOKEN', 'METRICS_PORT', 'METRICS_HOST',
  'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_API_URL',
  'VIDEO_PROVIDER', 'DAILY_API_KEY', 'DAILY_API_URL', 'DAILY_WEBHOOK_SECRET',
  'LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'LIVEKIT_RECORDINGS_DIR', 'DEFAULT_TIMEZONE',
  'GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'GOOGLE_API_URL', 'GOOGLE_OAUTH_URL',
  'MS_CLIENT_ID', 'MS_CLIENT_SECRET', 'MS_TENANT', 'MS_GRAPH_URL', 'MS_LOGIN_URL',
  'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_API_URL', 'HOLD_MINUTES',
  'BOOKING_LIMIT_ACTIVE_PER_EMAIL', 'BOOKING_LIMIT_ACTIVE_PER_CLIENT', 'BOOKING_LIMIT_HOURLY_PER_EMAIL',
  'BOOKING_LIMIT_HOURLY_PER_CLIENT', 'BOOKING_LIMIT_DAILY_PER_EMAIL', 'BOOKING_LIMIT_DAILY_PER_CLIENT',
  'PENDING_EXPIRY_HOURS', 'BOOKING_CHALLENGE', 'BOOKING_CHALLENGE_MAX_NUMBER', 'MAIL_CAP_PER_ADDRESS',
  'WEBHOOK_ALLOW_PRIVATE_TARGETS', 'RETENTION_DAYS', 'BOOKING_PAGE_URL', 'PRACTICE_NAME', 'BOOKING_PAGE_THEME',
  'DATABASE_STATEMENT_TIMEOUT_MS', 'DATABASE_LOCK_TIMEOUT_MS', 'SHUTDOWN_GRACE_MS', 'NOTIFICATION_LEASE_MS',
  'SMS_PROVIDER', 'SMSRU_API_ID', 'SMSRU_FROM', 'SMSRU_API_URL', 'PHONE_DEFAULT_COUNTRY', 'HOST_REMINDER_MINUTES',
  'VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT',
] as const;
export type ConfigVariable = (typeof CONFIG_VARIABLES)[number];

export const NODE_ENVS = ['development', 'test', 'production'] as const;
/** pino's levels (its `levels.values`) plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const VIDEO_PROVIDERS = ['daily', 'livekit', 'google_meet', 'teams'] as const;
export const MAIL_TRANSPORTS = ['smtp', 'files'] as const;
export const SMS_PROVIDERS = ['twilio', 'smsru'] as const;

export interface Config {
  nodeEnv: (typeof NODE_ENVS)[number];
  host: string;
  port: number;
  publicUrl: string;
  /** Unset: an embedded PostgreSQL is started in `dataDir`. */
  databaseUrl: string | null;
  /**
   * PostgreSQL connections per API instance. Booking storms are database-bound (every attempt
   * makes a few short round trips); 20 keeps two cores' worth of PostgreSQL busy without queueing
   * in the pool. Mind max_connections: instances x this (+ workers) must fit.
   */
  databasePoolSize: number;
  embeddedPgPort: number;
  /** Unset: notifications run from an in-process scheduler instead of BullMQ. */
  redisUrl: string | null;
  dataDir: string;
  adminToken: string | null;
  /** Development without ADMIN_TOKEN: the file the generated one is kept in (its path is logged, never the token). */
  adminTokenFile: string | null;
  /** 32 bytes; encrypts secrets at rest and signs state parameters. */
  secretKey: Buffer;
  allowedOrigins: string[];
  logLevel: (typeof LOG_LEVELS)[number];
  /** Fastify's trustProxy: off, on (every hop), or the proxies' addresses/CIDRs/range names. */
  trustProxy: boolean | string[];
  rateLimit: { writesPerMinute: number };
  /**
   * Anonymous booking limits (0 turns one off). "Client" is the caller's address (an IPv6 /64
   * counts as one), "email" the visitor's address without +tags, case-insensitively.
   */
  bookingLimits: {
    activePerEmail: number;
    activePerClient: number;
    hourlyPerEmail: number;
    hourlyPerClient: number;
    dailyPerEmail: number;
    dailyPerClient: number;
  };
  /** Hours a pending request waits for the specialist before it expires (both sides are told). */
  pendingExpiryHours: number;
  /** The invisible proof of work on booking creation: 'pow' (ALTCHA-style) or 'off'. */
  bookingChallenge: { mode: 'pow' | 'off'; maxNumber: number };
  /** Emails to one unverified address per 24 h (0: no cap). */
  mailCapPerAddress: number;
  /** Webhook targets may resolve to private, loopback or link-local addresses (trusted networks only). */
  webhookAllowPrivateTargets: boolean;
  /** Days after a booking ended until its personal data is anonymised (0: kept). */
  retentionDays: number;
  /** Run the notification worker inside the API process. */
  inProcessWorker: boolean;
  defaultTimezone: string;
  /**
   * The practice's own booking page: a visitor's links return there when the page they booked on
   * is not known (API bookings, older ones); unset, our hosted page /book/<specialist>.
   */
  bookingPageUrl: string | null;
  /** What the hosted booking pages (/book/...) show: the practice's name and the widget's theme. */
  bookingPages: { practiceName: string; theme: 'light' | 'dark' | 'auto' };
  /** Load the demo practice (two specialists, two services) at start-up when the database is empty of it. */
  demoData: boolean;
  /** `files` writes .eml files into outboxDir (development default); `smtp` sends through smtpUrl. */
  mail: { transport: (typeof MAIL_TRANSPORTS)[number]; smtpUrl: string | null; from: string; outboxDir: string };
  /**
   * Prometheus /metrics: off unless a token or a port is set. With `port`, served only on that
   * listener (host `host`); the token, when set, is required wherever it is served.
   */
  metrics: { token: string | null; port: number | null; host: string };
  twilio: { accountSid: string; authToken: string; from: string; apiUrl: string } | null;
  /** SMS.ru (sms.ru/sms/send): the account's api_id, an approved sender name (null: the account's default). */
  smsru: { apiId: string; from: string | null; apiUrl: string } | null;
  /** Which configured provider sends SMS (SMS_PROVIDER; default the one configured, Twilio when both); null: no SMS. */
  smsProvider: (typeof SMS_PROVIDERS)[number] | null;
  /** ISO 3166 country for phone numbers typed without "+" when neither the visitor's locale nor zone tells (null: none). */
  phoneDefaultCountry: CountryCode | null;
  /** Minutes before the start at which the specialist is reminded, longest first (empty: none). */
  hostReminderMinutes: number[];
  /** Web Push to the console (VAPID keys, RFC 8292); null: no push. */
  vapid: { publicKey: string; privateKey: string; subject: string } | null;
  daily: { apiKey: string; apiUrl: string; webhookSecret: string | null } | null;
  /** Which video provider serves rooms and tokens (VIDEO_PROVIDER, default daily). */
  videoProvider: (typeof VIDEO_PROVIDERS)[number];
  /** `recordingsDir`: where LiveKit egress writes recordings (shared with this server, which serves them). */
  livekit: { url: string; apiKey: string; apiSecret: string; recordingsDir: string } | null;
  google: { clientId: string; clientSecret: string; apiUrl: string | null; oauthUrl: string | null } | null;
  microsoft: { clientId: string; clientSecret: string; tenant: string; graphUrl: string; loginUrl: string } | null;
  /** Stripe Checkout and refunds; null: prepaid services cannot be offered. `apiUrl` points the SDK elsewhere (a local fake). */
  stripe: { secretKey: string; webhookSecret: string; apiUrl: string | null } | null;
  /** How long an unpaid booking of a prepaid service holds its time (HOLD_MINUTES). */
  holdMinutes: number;
  /**
   * Bounded database waits (see server/db/pool.ts): a statement runs at most `statementMs`, a
   * lock (a specialist's booking lock included) is waited for at most `lockMs`.
   */
  database: { statementTimeoutMs: number; lockTimeoutMs: number };
  /** How long SIGTERM waits for requests and sends in flight before the forced exit. */
  shutdownGraceMs: number;
  /** How long a claimed notification stays reserved for its sender (longer than any send can take). */
  notificationLeaseMs: number;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/** Collects every problem instead of stopping at the first, so one start-up shows them all. */
class Reader {
  readonly problems: string[] = [];
  readonly env: Env;
  constructor(env: Env) {
    this.env = env;
  }

  raw(name: ConfigVariable): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  string(name: ConfigVariable, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: ConfigVariable, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return n;
  }

  bool(name: ConfigVariable, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  /** One of a fixed set of words; anything else is a problem naming the variable and the choices. */
  oneOf<T extends string>(name: ConfigVariable, choices: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((choices as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]} (got "${value}")`);
    return fallback;
  }

  /** A bearer secret: long enough that guessing it is hopeless. */
  token(name: ConfigVariable): string | null {
    const value = this.raw(name) ?? null;
    if (value !== null && value.length < 24) this.problems.push(`${name} must be at least 24 characters`);
    // What an `Authorization: Bearer` header can carry (auth/tokens.ts reads it so).
    else if (value !== null && !/^[A-Za-z0-9._~+/=-]{24,512}$/.test(value)) this.problems.push(`${name} may only use letters, digits and . _ ~ + / = - (at most 512)`);
    return value;
  }

  url(name: ConfigVariable, protocols: string[]): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return value.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
      return null;
    }
  }

  /** A group of variables that only make sense together (provider credentials). */
  group<N extends ConfigVariable>(names: N[]): Record<N, string> | null {
    const values = names.map((n) => this.raw(n));
    if (values.every((v) => v === undefined)) return null;
    const missing = names.filter((_, i) => values[i] === undefined);
    if (missing.length > 0) {
      this.problems.push(`${missing.join(', ')} must be set together with ${names.filter((n) => !missing.includes(n)).join(', ')}`);
      return null;
    }
    return Object.fromEntries(names.map((n, i) => [n, values[i] as string])) as Record<N, string>;
  }
}

function parseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * The secret key comes from SECRET_KEY (64 hex chars or 44 base64 chars). In development it may
 * be omitted: one is generated once into the data folder so encrypted data survives restarts.
 */
function readSecretKey(r: Reader, nodeEnv: Config['nodeEnv'], dataDir: string): Buffer {
  const value = r.raw('SECRET_KEY');
  if (value !== undefined) {
    const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (key.length !== 32) r.problems.push('SECRET_KEY must be 32 bytes: 64 hex characters or base64');
    return key;
  }
  if (nodeEnv === 'production') {
    r.problems.push('SECRET_KEY is required in production (generate one: openssl rand -hex 32)');
    return Buffer.alloc(32);
  }
  if (nodeEnv === 'test') return Buffer.alloc(32, 7);
  return Buffer.from(developmentSecret(dataDir, 'secret.key', () => randomBytes(32).toString('hex')), 'hex');
}

/** A development secret kept in the data folder (mode 600), made once so it survives restarts. */
function developmentSecret(dataDir: string, name: string, make: () => string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

/** Where `npm start` keeps the site owner's key when ADMIN_TOKEN is not set (development only). */
export const DEV_ADMIN_TOKEN_FILE = 'admin.token';

/**
 * ADMIN_TOKEN. In development an unset one is generated into the data folder, so that
 * `npm start` gives the site owner a way into the console; elsewhere unset disables the admin API.
 */
function readAdminToken(r: Reader, nodeEnv: Config['nodeEnv'], dataDir: string): { token: string | null; generated: boolean } {
  const token = r.token('ADMIN_TOKEN');
  if (token !== null || nodeEnv !== 'development') return { token, generated: false };
  return { token: developmentSecret(dataDir, DEV_ADMIN_TOKEN_FILE, () => `bwa_${randomBytes(32).toString('base64url')}`), generated: true };
}

/** SMS providers: each one's credentials as a group, the choice by SMS_PROVIDER or by what is configured. */
function readSms(r: Reader): Pick<Config, 'twilio' | 'smsru' | 'smsProvider'> {
  const twilio = r.group(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']);
  const apiId = r.raw('SMSRU_API_ID');
  const smsru = apiId === undefined ? null : {
    apiId, from: r.raw('SMSRU_FROM') ?? null, apiUrl: r.url('SMSRU_API_URL', ['http:', 'https:']) ?? 'https://sms.ru',
  };
  if (apiId === undefined && (r.raw('SMSRU_FROM') !== undefined || r.raw('SMSRU_API_URL') !== undefined)) r.problems.push('SMSRU_FROM and SMSRU_API_URL need SMSRU_API_ID');
  const chosen = r.raw('SMS_PROVIDER') === undefined ? null : r.oneOf('SMS_PROVIDER', SMS_PROVIDERS, 'twilio');
  if (chosen === 'twilio' && twilio === null) r.problems.push('SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
  if (chosen === 'smsru' && smsru === null) r.problems.push('SMS_PROVIDER=smsru needs SMSRU_API_ID');
  return {
    twilio: twilio && {
      accountSid: twilio.TWILIO_ACCOUNT_SID,
      authToken: twilio.TWILIO_AUTH_TOKEN,
      from: twilio.TWILIO_FROM,
      apiUrl: r.url('TWILIO_API_URL', ['http:', 'https:']) ?? 'https://api.twilio.com',
    },
    smsru,
    smsProvider: chosen ?? (twilio ? 'twilio' : smsru ? 'smsru' : null),
  };
}

/** HOST_REMINDER_MINUTES: comma-separated minutes before the start ("60,10", the default), or "none". */
function readHostReminders(r: Reader): number[] {
  const value = r.raw('HOST_REMINDER_MINUTES');
  if (value === undefined) return [...DEFAULT_HOST_REMINDER_MINUTES];
  if (value.toLowerCase() === 'none') return [];
  const checked = normalizeReminderMinutes(value.split(',').map((s) => Number(s.trim())));
  if ('problem' in checked) {
    const { minMinutes, maxMinutes, maxCount } = HOST_REMINDER_RULES;
    r.problems.push(`HOST_REMINDER_MINUTES must be up to ${maxCount} different comma-separated minutes from ${minMinutes} to ${maxMinutes}, or none (got "${value}": ${checked.problem})`);
    return [...DEFAULT_HOST_REMINDER_MINUTES];
  }
  return checked.ok;
}

/** VAPID keys as web-push generates them (URL-safe base64: a 65-byte P-256 public key, a 32-byte private key). */
function readVapid(r: Reader): Config['vapid'] {
  const keys = r.group(['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT']);
  if (keys === null) return null;
  const bytes = (v: string) => (/^[A-Za-z0-9_-]+={0,2}$/.test(v) ? Buffer.from(v, 'base64url').length : -1);
  if (bytes(keys.VAPID_PUBLIC_KEY) !== 65) r.problems.push('VAPID_PUBLIC_KEY must be a URL-safe base64 P-256 public key (65 bytes; npx web-push generate-vapid-keys)');
  if (bytes(keys.VAPID_PRIVATE_KEY) !== 32) r.problems.push('VAPID_PRIVATE_KEY must be a URL-safe base64 P-256 private key (32 bytes)');
  if (!/^(mailto:|https:\/\/)/.test(keys.VAPID_SUBJECT)) r.problems.push('VAPID_SUBJECT must be a mailto: or https: URL (how push services reach you)');
  return { publicKey: keys.VAPID_PUBLIC_KEY, privateKey: keys.VAPID_PRIVATE_KEY, subject: keys.VAPID_SUBJECT };
}

/**
 * TRUST_PROXY: true/false, or a comma-separated list of the proxies' addresses, CIDR ranges or
 * proxy-addr's names (loopback, linklocal, uniquelocal). A hop count is refused: Fastify cannot
 * check the immediate peer with one and would trust nobody.
 */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
function readTrustProxy(r: Reader): Config['trustProxy'] {
  const value = r.raw('TRUST_PROXY');
  if (value === undefined) return false;
  if (/^(true|false|yes|no|on|off|0|1)$/i.test(value)) return r.bool('TRUST_PROXY', false);
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  const valid = (e: string) => {
    if (PROXY_RANGE_NAMES.includes(e)) return true;
    const [address, bits, extra] = e.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  };
  const bad = entries.filter((e) => !valid(e));
  if (bad.length > 0) {
    r.problems.push(`TRUST_PROXY must be true, false or the proxies' addresses/CIDRs (or loopback, linklocal, uniquelocal); bad: "${bad.join('", "')}"`);
    return false;
  }
  return entries;
}

/** How mail leaves: SMTP when SMTP_URL is set; files only where chosen (or by default outside production). */
function readMail(r: Reader, nodeEnv: Config['nodeEnv'], dataDir: string): Config['mail'] {
  const smtpUrl = r.url('SMTP_URL', ['smtp:', 'smtps:']);
  const fallback = smtpUrl !== null || nodeEnv === 'production' ? 'smtp' : 'files';
  const transport = r.oneOf('MAIL_TRANSPORT', MAIL_TRANSPORTS, fallback);
  if (transport === 'smtp' && smtpUrl === null && r.raw('SMTP_URL') === undefined) {
    r.problems.push(nodeEnv === 'production' && r.raw('MAIL_TRANSPORT') === undefined
      ? 'SMTP_URL is required in production (or set MAIL_TRANSPORT=files to write emails into DATA_DIR/mail)'
      : 'SMTP_URL is required with MAIL_TRANSPORT=smtp');
  }
  if (transport === 'files' && smtpUrl !== null) r.problems.push('MAIL_TRANSPORT=files and SMTP_URL contradict each other: unset one');
  const from = r.raw('MAIL_FROM');
  if (from === undefined && nodeEnv === 'production' && transport === 'smtp') {
    r.problems.push('MAIL_FROM is required in production (e.g. "Bookings <bookings@your-domain>"): mail from localhost is refused or lands in spam');
  }
  return {
    transport,
    smtpUrl: transport === 'smtp' ? smtpUrl : null,
    from: from ?? 'Bookings <bookings@localhost>',
    outboxDir: path.join(dataDir, 'mail'),
  };
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * PUBLIC_URL's origin; for a loopback one (the development default, http://localhost:3000) also
 * its other loopback spellings on the same port: a new user who opens http://127.0.0.1:3000 is on
 * the same site and must be able to book from its demo page. Only this machine reaches those.
 */
function sameMachineOrigins(publicUrl: URL): string[] {
  if (!LOOPBACK_HOSTS.includes(publicUrl.hostname)) return [publicUrl.origin];
  const port = publicUrl.port ? `:${publicUrl.port}` : '';
  return [publicUrl.origin, ...LOOPBACK_HOSTS.map((h) => `${publicUrl.protocol}//${h}${port}`).filter((o) => o !== publicUrl.origin)];
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const r = new Reader(env);
  // An unknown NODE_ENV ("prod") must not silently run as development: demo data, generated key.
  const nodeEnv = r.oneOf('NODE_ENV', NODE_ENVS, 'development');
  const production = nodeEnv === 'production';
  const port = r.int('PORT', 3000, 0, 65535);
  const host = r.string('HOST', '127.0.0.1');
  const givenPublicUrl = r.url('PUBLIC_URL', ['http:', 'https:']);
  if (production && r.raw('PUBLIC_URL') === undefined) {
    r.problems.push('PUBLIC_URL is required in production: the address visitors reach this server at (e.g. https://booking.example.com), used in every link and email');
  }
  const publicUrl = givenPublicUrl ?? `http://localhost:${port}`;
  const dataDir = path.resolve(cwd, r.string('DATA_DIR', '.data'));

  const origins = (r.raw('ALLOWED_ORIGINS') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const allowedOrigins = sameMachineOrigins(new URL(publicUrl));
  for (const o of origins) {
    const origin = parseOrigin(o);
    if (origin === null) r.problems.push(`ALLOWED_ORIGINS has an invalid origin "${o}" (expected e.g. https://example.com)`);
    else if (!allowedOrigins.includes(origin)) allowedOrigins.push(origin);
  }

  const admin = readAdminToken(r, nodeEnv, dataDir);
  const defaultTimezone = r.string('DEFAULT_TIMEZONE', 'UTC');
  if (!isValidTimeZone(defaultTimezone)) r.problems.push(`DEFAULT_TIMEZONE "${defaultTimezone}" is not an IANA time zone`);

  const phoneCountry = r.raw('PHONE_DEFAULT_COUNTRY')?.toUpperCase() ?? null;
  if (phoneCountry !== null && !isCountryCodeShape(phoneCountry)) r.problems.push(`PHONE_DEFAULT_COUNTRY must be an ISO 3166 country code such as DE or RU (got "${phoneCountry}")`);
  const dailyKey = r.raw('DAILY_API_KEY');
  const videoProvider = r.oneOf('VIDEO_PROVIDER', VIDEO_PROVIDERS, 'daily');
  const livekit = r.group(['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']);
  const google = r.group(['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET']);
  const microsoft = r.group(['MS_CLIENT_ID', 'MS_CLIENT_SECRET']);
  const msTenant = r.string('MS_TENANT', 'common');
  // common/organizations/consumers, a tenant id (GUID) or a verified domain: no path characters.
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(msTenant)) r.problems.push(`MS_TENANT must be common, organizations, consumers, a tenant id or a domain (got "${msTenant}")`);
  const metricsPort = r.raw('METRICS_PORT') === undefined ? null : r.int('METRICS_PORT', 0, 1, 65535);
  if (metricsPort !== null && metricsPort === port) r.problems.push(`METRICS_PORT must differ from PORT (${port})`);
  const stripe = r.group(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
  if (stripe && !/^(sk|rk)_(test|live)_\w+$/.test(stripe.STRIPE_SECRET_KEY)) r.problems.push('STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_test_..., sk_live_..., rk_...)');
  if (stripe && !stripe.STRIPE_WEBHOOK_SECRET.startsWith('whsec_')) r.problems.push('STRIPE_WEBHOOK_SECRET must be the endpoint\'s signing secret (whsec_...)');

  const config: Config = {
    nodeEnv,
    host,
    port,
    publicUrl,
    databaseUrl: r.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    // More connections than PostgreSQL has cores to run them only queue inside it (measured on 2
    // cores: 8 connections 521 bookings/s, 20 connections 351-400, 40 connections 363).
    databasePoolSize: r.int('DATABASE_POOL_SIZE', 10, 1, 1000),
    embeddedPgPort: r.int('EMBEDDED_PG_PORT', 5488, 1, 65535),
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    dataDir,
    adminToken: admin.token,
    adminTokenFile: admin.generated ? path.join(dataDir, DEV_ADMIN_TOKEN_FILE) : null,
    secretKey: readSecretKey(r, nodeEnv, dataDir),
    allowedOrigins,
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    trustProxy: readTrustProxy(r),
    rateLimit: { writesPerMinute: r.int('RATE_LIMIT_WRITES_PER_MINUTE', 30, 1, 100000) },
    bookingLimits: {
      activePerEmail: r.int('BOOKING_LIMIT_ACTIVE_PER_EMAIL', 3, 0, 10000),
      activePerClient: r.int('BOOKING_LIMIT_ACTIVE_PER_CLIENT', 6, 0, 10000),
      hourlyPerEmail: r.int('BOOKING_LIMIT_HOURLY_PER_EMAIL', 5, 0, 10000),
      hourlyPerClient: r.int('BOOKING_LIMIT_HOURLY_PER_CLIENT', 10, 0, 10000),
      dailyPerEmail: r.int('BOOKING_LIMIT_DAILY_PER_EMAIL', 10, 0, 100000),
      dailyPerClient: r.int('BOOKING_LIMIT_DAILY_PER_CLIENT', 20, 0, 100000),
    },
    pendingExpiryHours: r.int('PENDING_EXPIRY_HOURS', 48, 1, 24 * 90),
    bookingChallenge: {
      mode: r.oneOf('BOOKING_CHALLENGE', ['pow', 'off'] as const, 'pow'),
      maxNumber: r.int('BOOKING_CHALLENGE_MAX_NUMBER', 50_000, 100, 10_000_000),
    },
    mailCapPerAddress: r.int('MAIL_CAP_PER_ADDRESS', 10, 0, 10000),
    webhookAllowPrivateTargets: r.bool('WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
    retentionDays: r.int('RETENTION_DAYS', 0, 0, 36500),
    inProcessWorker: r.bool('IN_PROCESS_WORKER', true),
    defaultTimezone,
    bookingPageUrl: r.url('BOOKING_PAGE_URL', ['http:', 'https:']),
    bookingPages: {
      practiceName: r.string('PRACTICE_NAME', 'Online booking').slice(0, 200),
      theme: r.oneOf('BOOKING_PAGE_THEME', ['light', 'dark', 'auto'] as const, 'light'),
    },
    // Production never gets the demo practice unless DEMO_DATA=true says so.
    demoData: r.bool('DEMO_DATA', !production),
    mail: readMail(r, nodeEnv, dataDir),
    metrics: { token: r.token('METRICS_TOKEN'), port: metricsPort, host: r.string('METRICS_HOST', host) },
    ...readSms(r),
    phoneDefaultCountry: phoneCountry !== null && isCountryCodeShape(phoneCountry) ? phoneCountry : null,
    hostReminderMinutes: readHostReminders(r),
    vapid: readVapid(r),
    daily: dailyKey === undefined ? null : {
      apiKey: dailyKey,
      apiUrl: r.url('DAILY_API_URL', ['http:', 'https:']) ?? 'https://api.daily.co/v1',
      webhookSecret: r.raw('DAILY_WEBHOOK_SECRET') ?? null,
    },
    videoProvider,
    livekit: livekit && {
      url: r.url('LIVEKIT_URL', ['http:', 'https:', 'ws:', 'wss:']) ?? livekit.LIVEKIT_URL,
      apiKey: livekit.LIVEKIT_API_KEY,
      apiSecret: livekit.LIVEKIT_API_SECRET,
      recordingsDir: path.resolve(cwd, r.string('LIVEKIT_RECORDINGS_DIR', path.join(dataDir, 'recordings'))),
    },
    google: google && {
      clientId: google.GOOGLE_CLIENT_ID,
      clientSecret: google.GOOGLE_CLIENT_SECRET,
      apiUrl: r.url('GOOGLE_API_URL', ['http:', 'https:']),
      oauthUrl: r.url('GOOGLE_OAUTH_URL', ['http:', 'https:']),
    },
    microsoft: microsoft && {
      clientId: microsoft.MS_CLIENT_ID,
      clientSecret: microsoft.MS_CLIENT_SECRET,
      tenant: msTenant,
      graphUrl: r.url('MS_GRAPH_URL', ['http:', 'https:']) ?? 'https://graph.microsoft.com/v1.0',
      loginUrl: r.url('MS_LOGIN_URL', ['http:', 'https:']) ?? 'https://login.microsoftonline.com',
    },
    stripe: stripe && {
      secretKey: stripe.STRIPE_SECRET_KEY,
      webhookSecret: stripe.STRIPE_WEBHOOK_SECRET,
      apiUrl: r.url('STRIPE_API_URL', ['http:', 'https:']),
    },
    // A Checkout Session lives 30 min to 24 h; ours ends 30 min after the hold (see payments/checkout.ts).
    holdMinutes: r.int('HOLD_MINUTES', 15, 1, 23 * 60),
    database: {
      statementTimeoutMs: r.int('DATABASE_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
      lockTimeoutMs: r.int('DATABASE_LOCK_TIMEOUT_MS', 2000, 50, 600_000),
    },
    // Longer than the slowest send (SMTP: 10 s connect + 10 s greeting + 20 s idle socket).
    shutdownGraceMs: r.int('SHUTDOWN_GRACE_MS', 45_000, 1000, 600_000),
    notificationLeaseMs: r.int('NOTIFICATION_LEASE_MS', 120_000, 1000, 3_600_000),
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze(config);
}
