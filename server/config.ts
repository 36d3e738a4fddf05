// Configuration is read from the environment once, validated, and frozen. The rest of the
// code receives this object and never reads process.env itself.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isValidTimeZone } from './availability/zone.ts';

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  /** Unset: an embedded PostgreSQL is started in `dataDir`. */
  databaseUrl: string | null;
  embeddedPgPort: number;
  /** Unset: notifications run from an in-process scheduler instead of BullMQ. */
  redisUrl: string | null;
  dataDir: string;
  adminToken: string | null;
  /** 32 bytes; encrypts secrets at rest and signs state parameters. */
  secretKey: Buffer;
  allowedOrigins: string[];
  logLevel: string;
  trustProxy: boolean;
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
  /** Load the demo practice (two specialists, two services) at start-up when the database is empty of it. */
  demoData: boolean;
  mail: { smtpUrl: string | null; from: string; outboxDir: string };
  twilio: { accountSid: string; authToken: string; from: string; apiUrl: string } | null;
  daily: { apiKey: string; apiUrl: string; webhookSecret: string | null } | null;
  /** Which video provider serves rooms and tokens (VIDEO_PROVIDER, default daily). */
  videoProvider: 'daily' | 'livekit';
  livekit: { url: string; apiKey: string; apiSecret: string } | null;
  google: { clientId: string; clientSecret: string; apiUrl: string | null; oauthUrl: string | null } | null;
  microsoft: { clientId: string; clientSecret: string; tenant: string; graphUrl: string; loginUrl: string } | null;
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

  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  url(name: string, protocols: string[]): string | null {
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

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }

  /** A group of variables that only make sense together (provider credentials). */
  group(names: string[]): Record<string, string> | null {
    const values = names.map((n) => this.raw(n));
    if (values.every((v) => v === undefined)) return null;
    const missing = names.filter((_, i) => values[i] === undefined);
    if (missing.length > 0) {
      this.problems.push(`${missing.join(', ')} must be set together with ${names.filter((n) => !missing.includes(n)).join(', ')}`);
      return null;
    }
    return Object.fromEntries(names.map((n, i) => [n, values[i] as string]));
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
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  const key = randomBytes(32);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return key;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const r = new Reader(env);
  const nodeEnvRaw = r.string('NODE_ENV', 'development');
  const nodeEnv = (['development', 'production', 'test'].includes(nodeEnvRaw) ? nodeEnvRaw : 'development') as Config['nodeEnv'];
  const port = r.int('PORT', 3000, 0, 65535);
  const host = r.string('HOST', '127.0.0.1');
  const publicUrl = r.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const dataDir = path.resolve(cwd, r.string('DATA_DIR', '.data'));

  const origins = (r.raw('ALLOWED_ORIGINS') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const allowedOrigins = [new URL(publicUrl).origin];
  for (const o of origins) {
    const origin = parseOrigin(o);
    if (origin === null) r.problems.push(`ALLOWED_ORIGINS has an invalid origin "${o}" (expected e.g. https://example.com)`);
    else if (!allowedOrigins.includes(origin)) allowedOrigins.push(origin);
  }

  const adminToken = r.raw('ADMIN_TOKEN') ?? null;
  if (adminToken !== null && adminToken.length < 24) r.problems.push('ADMIN_TOKEN must be at least 24 characters');

  const defaultTimezone = r.string('DEFAULT_TIMEZONE', 'UTC');
  if (!isValidTimeZone(defaultTimezone)) r.problems.push(`DEFAULT_TIMEZONE "${defaultTimezone}" is not an IANA time zone`);

  const twilio = r.group(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']);
  const dailyKey = r.raw('DAILY_API_KEY');
  const videoProvider = r.string('VIDEO_PROVIDER', 'daily');
  if (videoProvider !== 'daily' && videoProvider !== 'livekit') r.problems.push(`VIDEO_PROVIDER must be daily or livekit (got "${videoProvider}")`);
  const livekit = r.group(['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']);
  const google = r.group(['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET']);
  const microsoft = r.group(['MS_CLIENT_ID', 'MS_CLIENT_SECRET']);

  const config: Config = {
    nodeEnv,
    host,
    port,
    publicUrl,
    databaseUrl: r.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    embeddedPgPort: r.int('EMBEDDED_PG_PORT', 5488, 1, 65535),
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    dataDir,
    adminToken,
    secretKey: readSecretKey(r, nodeEnv, dataDir),
    allowedOrigins,
    logLevel: r.string('LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info'),
    trustProxy: r.bool('TRUST_PROXY', false),
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
    demoData: r.bool('DEMO_DATA', nodeEnv !== 'production'),
    mail: {
      smtpUrl: r.url('SMTP_URL', ['smtp:', 'smtps:']),
      from: r.string('MAIL_FROM', 'Bookings <bookings@localhost>'),
      outboxDir: path.join(dataDir, 'mail'),
    },
    twilio: twilio && {
      accountSid: twilio.TWILIO_ACCOUNT_SID,
      authToken: twilio.TWILIO_AUTH_TOKEN,
      from: twilio.TWILIO_FROM,
      apiUrl: r.url('TWILIO_API_URL', ['http:', 'https:']) ?? 'https://api.twilio.com',
    },
    daily: dailyKey === undefined ? null : {
      apiKey: dailyKey,
      apiUrl: r.url('DAILY_API_URL', ['http:', 'https:']) ?? 'https://api.daily.co/v1',
      webhookSecret: r.raw('DAILY_WEBHOOK_SECRET') ?? null,
    },
    videoProvider: videoProvider === 'livekit' ? 'livekit' : 'daily',
    livekit: livekit && {
      url: r.url('LIVEKIT_URL', ['http:', 'https:', 'ws:', 'wss:']) ?? livekit.LIVEKIT_URL,
      apiKey: livekit.LIVEKIT_API_KEY,
      apiSecret: livekit.LIVEKIT_API_SECRET,
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
      tenant: r.string('MS_TENANT', 'common'),
      graphUrl: r.url('MS_GRAPH_URL', ['http:', 'https:']) ?? 'https://graph.microsoft.com/v1.0',
      loginUrl: r.url('MS_LOGIN_URL', ['http:', 'https:']) ?? 'https://login.microsoftonline.com',
    },
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze(config);
}
