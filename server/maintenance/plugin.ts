// Runs the maintenance jobs every minute in every API instance (they are safe to run
// concurrently); tests call runMaintenance themselves with their own clock.
import fp from 'fastify-plugin';
import { runMaintenance } from './jobs.ts';

export const MAINTENANCE_INTERVAL_MS = 60_000;

export default fp(async (app) => {
  if (app.config.nodeEnv === 'test') return;
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = runMaintenance(app)
      .then((r) => { if (r.expired + r.anonymised + r.recordingsDeleted > 0) app.log.info(r, 'maintenance'); })
      .catch((err) => app.log.error({ err }, 'maintenance failed'))
      .finally(() => { running = null; });
  }, MAINTENANCE_INTERVAL_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}, { name: 'maintenance', dependencies: ['db', 'config'] });
