// `npm run worker`: notification delivery as its own process (scale it out next to the API).
// SIGTERM/SIGINT close the worker (finishing sends in flight), with a forced exit as a backstop.
import { ConfigError, loadConfig } from '../config.ts';
import { installOutboxContext } from './outbox.ts';
import { startNotifications } from './runtime.ts';

const line = (level: string) => (obj: object, msg: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...obj })}\n`);
const log = { info: line('info'), warn: line('warn'), error: line('error') };

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`[worker] error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (config.databaseUrl === null) {
    process.stderr.write('[worker] error: DATABASE_URL is required (the embedded database runs inside the API: use IN_PROCESS_WORKER=true there)\n');
    process.exit(1);
  }
  installOutboxContext({ secretKey: config.secretKey, smsEnabled: config.twilio !== null, mailCapPerAddress: config.mailCapPerAddress });
  const runtime = await startNotifications({ config, clock: { now: () => Date.now() }, log });
  log.info({ mode: runtime.mode }, 'notification worker started');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'notification worker shutting down');
    setTimeout(() => { process.stderr.write('[worker] forced exit after 15 s\n'); process.exit(1); }, 15_000).unref();
    await runtime.close().catch((err) => log.error({ err: String(err) }, 'close failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`[worker] error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
