// The exclusion constraint is the last line of defence against double booking: prove it at the
// database level, without the API in between.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import type { NewBooking } from '../../server/db/schema.ts';

let t: TestDatabase;
let specialistId: string;
let otherSpecialistId: string;
let serviceId: string;
let n = 0;

before(async () => {
  t = await createTestDatabase();
  const ins = (slug: string) => t.db.insertInto('specialists')
    .values({ slug, name: slug, email: `${slug}@example.com`, timezone: 'Europe/Berlin' })
    .returning('id').executeTakeFirstOrThrow();
  specialistId = (await ins('a')).id;
  otherSpecialistId = (await ins('b')).id;
  serviceId = (await t.db.insertInto('services').values({ slug: 's', name: 'S', duration_min: 30 }).returning('id').executeTakeFirstOrThrow()).id;
});
after(() => t.drop());

function booking(start: string, end: string, extra: Partial<NewBooking> = {}): NewBooking {
  n += 1;
  return {
    specialist_id: specialistId, service_id: serviceId, status: 'confirmed',
    starts_at: start, ends_at: end, blocked_from: start, blocked_until: end,
    visitor_name: 'V', visitor_email: 'v@example.com', visitor_timezone: 'UTC',
    service_terms: JSON.stringify({}), manage_token_hash: `hash-${n}`,
    ...extra,
  };
}
const insert = (b: NewBooking) => t.db.insertInto('bookings').values(b).returning(['id']).executeTakeFirstOrThrow();

async function rejectsWith(p: Promise<unknown>, code: string) {
  await assert.rejects(p, (err: { code?: string }) => err.code === code);
}

describe('bookings exclusion constraint', () => {
  test('rejects an overlapping active booking with SQLSTATE 23P01', async () => {
    await insert(booking('2030-01-07T09:00Z', '2030-01-07T10:00Z'));
    await rejectsWith(insert(booking('2030-01-07T09:30Z', '2030-01-07T10:30Z')), '23P01');
    await rejectsWith(insert(booking('2030-01-07T08:00Z', '2030-01-07T11:00Z', { status: 'pending' })), '23P01');
  });

  test('accepts adjacent bookings (half-open ranges)', async () => {
    await insert(booking('2030-01-08T09:00Z', '2030-01-08T10:00Z'));
    await insert(booking('2030-01-08T10:00Z', '2030-01-08T11:00Z'));
    await insert(booking('2030-01-08T08:00Z', '2030-01-08T09:00Z'));
  });

  test('buffers are part of the blocked range', async () => {
    await insert(booking('2030-01-09T09:00Z', '2030-01-09T10:00Z', { blocked_until: '2030-01-09T10:15Z' }));
    await rejectsWith(insert(booking('2030-01-09T10:00Z', '2030-01-09T10:30Z')), '23P01');
    await insert(booking('2030-01-09T10:15Z', '2030-01-09T10:45Z'));
  });

  test("a cancelled booking's time can be booked again", async () => {
    const first = await insert(booking('2030-01-10T09:00Z', '2030-01-10T10:00Z'));
    await t.db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', first.id).execute();
    await insert(booking('2030-01-10T09:00Z', '2030-01-10T10:00Z'));
    // ...but it cannot be revived on top of the new booking.
    await rejectsWith(t.db.updateTable('bookings').set({ status: 'confirmed' }).where('id', '=', first.id).execute(), '23P01');
  });

  test('different specialists may overlap', async () => {
    await insert(booking('2030-01-11T09:00Z', '2030-01-11T10:00Z'));
    await insert(booking('2030-01-11T09:00Z', '2030-01-11T10:00Z', { specialist_id: otherSpecialistId }));
  });

  test('concurrent overlapping inserts: exactly one wins', async () => {
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
      insert(booking(`2030-01-12T09:${String(i).padStart(2, '0')}Z`, '2030-01-12T10:30Z'))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, '23P01');
  });

  test('an inverted range is refused', async () => {
    await rejectsWith(insert(booking('2030-01-13T10:00Z', '2030-01-13T09:00Z')), '23514');
  });
});
