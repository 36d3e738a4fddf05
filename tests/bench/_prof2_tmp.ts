import { buildApp } from '../../server/app.ts';
import { testConfig, TestClock } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { addBooking, addBusy, addHours, addService, addSpecialist, link } from '../availability/fixtures.ts';
import { availableSlots, findOffering } from '../../server/availability/load.ts';
import { computeSlots } from '../../server/availability/engine.ts';
import { sql } from 'kysely';
const d = await createTestDatabase();
const db = d.db;
const sp = await addSpecialist(db, { slug: 'bench', timezone: 'Europe/Berlin' });
const sv = await addService(db, { slug: 'bench-consult', duration_min: 30, slot_step_min: 15, buffer_before_min: 5, buffer_after_min: 5, horizon_days: 90 });
await link(db, sp.id, sv.id);
await addHours(db, sp.id, [1,2,3,4,5].map((x)=>[x,'09:00','18:00']));
const F = Date.parse('2027-03-01T00:00:00Z');
for (let i=0;i<300;i++){ const day=Math.floor(i*62/300); await addBooking(db,{specialistId:sp.id,serviceId:sv.id,durationMin:30,bufferBeforeMin:5,bufferAfterMin:5,start:F+day*86400000+8*3600000+(i%5)*150*60000}); }
await addBusy(db, sp.id, Array.from({length:50},(_,i)=>[F+Math.floor(i*62/50)*86400000+15*3600000, F+Math.floor(i*62/50)*86400000+16*3600000] as [number,number]));
const app = await buildApp(testConfig(d.url, { LOG_LEVEL: 'silent' }), { clock: new TestClock('2027-03-01T07:30:00Z'), poolSize: 10 });
const path = `/api/specialists/bench/slots?service=bench-consult&from=2027-03-02&to=2027-04-01&timezone=America/New_York`;
async function measure(name: string, fn: () => Promise<unknown>, n = 300) {
  for (let i = 0; i < 50; i++) await fn();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const c = process.cpuUsage(c0);
  console.log(name.padEnd(30), ((c.user + c.system) / 1000 / n).toFixed(3), 'ms cpu/call');
}
const from = Date.parse('2027-03-02T05:00:00Z'), until = Date.parse('2027-04-02T04:00:00Z');
const { Session } = await import('node:inspector/promises');
const ses = new Session(); ses.connect(); await ses.post('Profiler.enable'); await ses.post('Profiler.start');
for (let i = 0; i < 1000; i++) await app.inject(path);
const { profile } = await ses.post('Profiler.stop');
(await import('node:fs')).writeFileSync('/tmp/prof/seq.cpuprofile', JSON.stringify(profile));
await measure('inject /health', () => app.inject('/health'));
await measure('inject slots', () => app.inject(path));
await measure('select 1', () => sql`SELECT 1`.execute(db));
await measure('findOffering', () => findOffering(db, 'bench-consult', 'bench'));
await measure('availableSlots', () => availableSlots(db, { specialistId: sp.id, timezone: sp.timezone, service: sv, from, until, now: F }));
const r = await sql`SELECT 1`.execute(db);
await app.close(); await d.drop();
