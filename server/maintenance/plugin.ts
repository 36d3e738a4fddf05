// Runs the maintenance jobs every minute in every API instance (they are safe to run
// concurrently); tests call runMaintenance themselves with their own clock. Supervised: a run hit
// by a database outage is logged once and retried with backoff (runtime/supervise.ts).
import fp from 'fastify-plugin';
import { every } from '../runtime/supervise.ts';
import { runMaintenance } from './jobs.ts';

export const MAINTENANCE_INTERVAL_MS = 60_000;

export default fp(async (app) => {
  if (app.config.nodeEnv === 'test') return;
  let running: Promise<unknown> | null = null;
  const stop = every(MAINTENANCE_INTERVAL_MS, 'maintenance', app.log, () => {
    running = runMaintenance(app)
      .then((r) => { if (r.expired + r.anonymised + r.recordingsDeleted + r.callsSettled > 0) app.log.info(r, 'maintenance'); })
      .finally(() => { running = null; });
    return running;
  });
  app.addHook('onClose', async () => {
    stop();
    await running?.catch(() => {});
  });
}, { name: 'maintenance', dependencies: ['db', 'config'] });
