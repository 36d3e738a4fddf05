import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../helpers/db.ts';
import { TestClock, testConfig } from '../helpers/app.ts';
import { startNotifications } from '../../server/notifications/runtime.ts';
import { deliverById } from '../../server/notifications/deliver.ts';
import { seedPractice, createBooking } from './support.ts';
const database = await createTestDatabase();
const clock = new TestClock('2026-12-01T08:00:00Z');
const config = testConfig(database.url);
const rt = await startNotifications({ config, clock, log: { info() {}, warn() {}, error() {} }, redisUrl: null, intervalMs: 0, transports: { email: async () => {} } });
const p = await seedPractice(database.db);
const ctx = { secretKey: config.secretKey, smsEnabled: false };
const ids: string[] = [];
for (let i = 0; i < 100; i++) {
  const b = await createBooking(database.db, p, { start: Date.parse('2026-12-04T10:00:00Z') + i * 3600_000 }, clock.now(), ctx);
  ids.push(...(await database.db.selectFrom('notifications').select('id').where('booking_id', '=', b.id).where('send_at', '<=', new Date(clock.now())).execute()).map((r) => r.id));
}
let t0 = performance.now();
for (const id of ids.slice(0, 100)) await deliverById(rt.delivery, id);
console.log('sequential ms/row', (performance.now() - t0) / 100);
t0 = performance.now();
await Promise.all(ids.slice(100).map((id) => deliverById(rt.delivery, id)));
console.log('parallel rows/s', 100 / ((performance.now() - t0) / 1000));
await rt.close(); await database.drop();
