// `npm run worker`: notification delivery as its own process (scale it out next to the API).
// Logs in the one pino format; with METRICS_PORT, serves its /metrics there (deliveries, the
// backlog, BullMQ's job counts, its pool). SIGTERM/SIGINT close the worker (finishing sends in
// flight and recording them), with a forced exit after SHUTDOWN_GRACE_MS as a backstop. Database and
// Redis outages are survived (see deliver.ts, runtime/supervise.ts): the process stays up and resumes.
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger, fatal } from '../observability/log.ts';
import { createMetrics } from '../observability/metrics.ts';
import { listenMetrics, type MetricsListener } from '../observability/metrics-server.ts';
import { releaseStartupMemory } from '../runtime/heap.ts';
import { installOutboxContext } from './outbox.ts';
import { startNotifications } from './runtime.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      return fatal(createLogger('info', 'worker'), `invalid configuration: ${err.problems.join('; ')}`, { problems: err.problems });
    }
    throw err;
  }
  const log = createLogger(config.logLevel, 'worker');
  if (config.databaseUrl === null) {
    return fatal(log, 'DATABASE_URL is required (the embedded database runs inside the API: use IN_PROCESS_WORKER=true there)');
  }
  installOutboxContext({ secretKey: config.secretKey, smsEnabled: config.smsProvider !== null, mailCapPerAddress: config.mailCapPerAddress, hostReminderMinutes: config.hostReminderMinutes, publicUrl: config.publicUrl, pushEnabled: config.vapid !== null });
  const metrics = createMetrics();
  const runtime = await startNotifications({ config, clock: { now: () => Date.now() }, log, metrics });
  let metricsListener: MetricsListener | null = null;
  if (config.metrics.port !== null) {
    metricsListener = await listenMetrics(metrics, config.metrics, log).catch((err: NodeJS.ErrnoException) =>
      fatal(log, err.code === 'EADDRINUSE' ? `port ${config.metrics.port} is already in use; set METRICS_PORT to a free port` : err.message));
  }
  releaseStartupMemory();
  log.info({ mode: runtime.mode }, 'notification worker started');
  // The scheduler's timers are unref'd (they must not hold an API process open); this process
  // exists to run them, so it stays up until a signal says otherwise.
  const keepAlive = setInterval(() => {}, 2 ** 30);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    clearInterval(keepAlive);
    log.info({ signal }, 'notification worker shutting down');
    // The grace outlasts the slowest send (SMTP: 10 s + 10 s + 20 s), so sends in flight finish and
    // are recorded: a deploy repeats nothing.
    const grace = config.shutdownGraceMs;
    setTimeout(() => { log.error({}, `forced exit: shutdown took longer than ${grace / 1000} s`); process.exit(1); }, grace).unref();
    await metricsListener?.close().catch(() => {});
    await runtime.close().catch((err) => log.error({ err }, 'close failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A promise nobody awaited must not end delivery for everyone: logged, and the loops go on.
  process.on('unhandledRejection', (err) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'unhandled rejection'));
}

main().catch((err) => fatal(createLogger('info', 'worker'), err instanceof Error ? err.message : String(err), { err }));
