// One log format for every process and part (API requests, start-up, the embedded database, the
// notification worker): pino JSON lines on stdout with the level as a word and an ISO time, so
// one collector configuration reads them all. Secrets never reach a line.
import { pino, stdTimeFunctions, type Logger, type LoggerOptions } from 'pino';
import type { Config } from '../config.ts';

/** Paths pino blanks wherever they appear in a logged object. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'req.headers["x-metrics-token"]',
];

export type Level = Config['logLevel'];

export function logOptions(level: Level): LoggerOptions {
  return {
    level,
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      // Query strings can carry tokens (manage links): log the path only.
      req: (req: { method: string; url: string; ip?: string; id?: string }) =>
        ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
}

/** A process's logger; its parts log through children that say which `component` they are. */
export function createRootLogger(level: Level): Logger {
  return pino(logOptions(level));
}

export function createLogger(level: Level, component: string): Logger {
  return createRootLogger(level).child({ component });
}

/**
 * Logs why the process cannot run, in the same format, and exits 1. Even LOG_LEVEL=silent (the
 * test default) does not swallow this line: an exit without a reason helps no one. pino
 * flushes its buffer on exit.
 */
export function fatal(log: Logger, msg: string, fields: object = {}): never {
  const out = log.isLevelEnabled('fatal') ? log : pino(logOptions('fatal')).child(log.bindings());
  out.fatal(fields, msg);
  process.exit(1);
}

export type { Logger };
