// The notifications resource of the API: installs the outbox context (always: bookings write
// outbox rows whether or not this process delivers them) and, with IN_PROCESS_WORKER, runs the
// relay/worker (or the table scheduler without Redis) inside the API process.
import fp from 'fastify-plugin';
import { onBookingChanged } from '../bookings/hooks.ts';
import { installOutboxContext } from './outbox.ts';
import { startNotifications, type NotificationRuntime } from './runtime.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when delivery runs in a separate `npm run worker` process. */
    notifications: NotificationRuntime | null;
  }
}

export default fp(async (app) => {
  installOutboxContext({ secretKey: app.config.secretKey, smsEnabled: app.config.smsProvider !== null, mailCapPerAddress: app.config.mailCapPerAddress, hostReminderMinutes: app.config.hostReminderMinutes, publicUrl: app.config.publicUrl, pushEnabled: app.config.vapid !== null });
  const runtime = app.config.inProcessWorker
    ? await startNotifications({ config: app.config, clock: app.clock, log: app.log, metrics: app.metrics })
    : null;
  app.decorate('notifications', runtime);
  // After a booking change commits, relay at once: the confirmation leaves without waiting for the
  // next tick, and a cancelled reminder's job leaves Redis right away. Listeners are process-wide,
  // so only this app's own changes count.
  const unsubscribe = runtime && onBookingChanged((source, _bookingId, event) => {
    if (source.config !== app.config || event === 'no_show') return;
    runtime.nudge().catch((err) => app.log.warn({ err: String(err) }, 'notification relay after a booking change failed'));
  });
  app.addHook('onClose', async () => {
    unsubscribe?.();
    await runtime?.close();
  });
}, { name: 'notifications', dependencies: ['config', 'observability'] });
