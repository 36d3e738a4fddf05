// The slots cache is never stale: two API instances over one database, one warmed with cached
// answers, the other taking bookings and changes; the first must show each change at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { addBusy, addHours, addOverride, addService, addSpecialist, link } from './fixtures.ts';
import { ALL_WEEK, T0, bookingBody } from '../bookings/fixtures.ts';

const clock = new TestClock(T0);
let reader: TestApp; // answers slots (and caches them)
let writer: TestApp; // takes the bookings: another instance, same database
let specialist: { id: string; slug: string };
let teammate: { id: string; slug: string };
let service: { id: string; slug: string };

const DAY_URL = (who: string, date = '2026-12-03') => `/api/specialists/${who}/slots?service=${service.slug}&from=${date}&to=${date}&timezone=UTC`;

type Answer = { team?: string[]; days: { slots: { start: string; free?: number[] }[] }[] };

async function starts(who: string, date?: string): Promise<string[]> {
  const res = await reader.app.inject(DAY_URL(who, date));
  assert.equal(res.statusCode, 200);
  return (res.json() as Answer).days.flatMap((d) => d.slots.map((s) => s.start));
}

/** For the team listing: who is free at `start`, by id. */
async function freeAt(start: string): Promise<string[]> {
  const body = (await reader.app.inject(DAY_URL('any'))).json() as Answer;
  const slot = body.days.flatMap((d) => d.slots).find((s) => s.start === start);
  return (slot?.free ?? []).map((i) => body.team![i]!);
}

async function book(start: string, who = specialist.id) {
  const res = await writer.app.inject({ method: 'POST', url: '/api/bookings', payload: bookingBody({ specialist: who, service: service.id }, start) });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; specialist: { id: string }; manageToken: string };
}

before(async () => {
  writer = await startTestApp({ clock });
  reader = await startTestApp({ clock, database: writer.database });
  const db = writer.database.db;
  specialist = await addSpecialist(db, { slug: 'fresh', timezone: 'UTC' });
  teammate = await addSpecialist(db, { slug: 'fresh-mate', timezone: 'UTC' });
  service = await addService(db, { slug: 'fresh-hour', duration_min: 60, slot_step_min: 60, min_notice_min: 60 });
  for (const s of [specialist, teammate]) {
    await link(db, s.id, service.id);
    await addHours(db, s.id, ALL_WEEK);
  }
});
after(async () => {
  await reader.close();
  await writer.close();
});

describe('slots are never stale across instances', () => {
  test('a slot booked on one instance is gone from the other at once, and back when cancelled', async () => {
    const slot = '2026-12-03T10:00:00.000Z';
    assert.ok((await starts('fresh')).includes(slot));
    assert.ok((await starts('fresh')).includes(slot), 'served again (cached)');
    const { id, manageToken } = await book(slot);
    assert.ok(!(await starts('fresh')).includes(slot), 'the very next read no longer offers it');

    const cancel = await writer.app.inject({ method: 'POST', url: `/api/bookings/${id}/cancel`, headers: { authorization: `Bearer ${manageToken}` }, payload: {} });
    assert.equal(cancel.statusCode, 200, cancel.body);
    assert.ok((await starts('fresh')).includes(slot), 'free again right after the cancellation');
  });

  test('a revalidating client gets the new answer, not a 304, after a booking', async () => {
    const url = DAY_URL('fresh');
    const first = await reader.app.inject(url);
    const etag = first.headers.etag as string;
    assert.equal((await reader.app.inject({ url, headers: { 'if-none-match': etag } })).statusCode, 304);
    await book('2026-12-03T12:00:00.000Z');
    const after = await reader.app.inject({ url, headers: { 'if-none-match': etag } });
    assert.equal(after.statusCode, 200);
    assert.notEqual(after.headers.etag, etag);
  });

  test('the team listing drops the booked specialist from that slot at once', async () => {
    const slot = '2026-12-03T14:00:00.000Z';
    assert.deepEqual((await freeAt(slot)).sort(), [specialist.id, teammate.id].sort());
    const booked = await book(slot, 'any');
    const left = [specialist.id, teammate.id].filter((id) => id !== booked.specialist.id);
    assert.deepEqual(await freeAt(slot), left);
  });

  test('hours, overrides, calendar busy time and the catalogue invalidate too', async () => {
    const db = writer.database.db;
    const date = '2026-12-10';
    assert.ok((await starts('fresh', date)).includes(`${date}T09:00:00.000Z`));
    await addBusy(db, specialist.id, [[`${date}T09:00:00Z`, `${date}T10:00:00Z`]]);
    assert.ok(!(await starts('fresh', date)).includes(`${date}T09:00:00.000Z`), 'busy time');

    await addOverride(db, specialist.id, date, [{ start: '18:00', end: '20:00' }]);
    assert.deepEqual(await starts('fresh', date), [`${date}T18:00:00.000Z`, `${date}T19:00:00.000Z`], 'override');

    const other = '2026-12-11'; // a Friday
    assert.equal((await starts('fresh', other)).length, 12);
    await db.deleteFrom('weekly_hours').where('specialist_id', '=', specialist.id).where('weekday', '=', 5).execute();
    assert.deepEqual(await starts('fresh', other), [], 'weekly hours');

    await db.updateTable('services').set({ duration_min: 120 }).where('id', '=', service.id).execute();
    const after = await reader.app.inject(DAY_URL('fresh', '2026-12-12'));
    const first = (after.json() as { days: { slots: { start: string; end: string }[] }[] }).days[0]!.slots[0]!;
    assert.equal(Date.parse(first.end) - Date.parse(first.start), 120 * 60_000, 'service rules');
    await db.updateTable('services').set({ duration_min: 60 }).where('id', '=', service.id).execute();
  });

  test('time passing: a cached slot leaves when its minimum notice is reached', async () => {
    const date = '2026-12-05';
    const before = await starts('fresh', date);
    clock.set('2026-12-05T07:30:00Z'); // 60 min notice: 08:00 is gone, 09:00 still there
    try {
      const now = await starts('fresh', date);
      assert.deepEqual(now, before.filter((s) => s >= '2026-12-05T09:00'));
    } finally {
      clock.set(T0);
    }
    assert.deepEqual(await starts('fresh', date), before, 'and an earlier clock does not reuse the later answer');
  });

  test('under concurrent reads, a read sent after a 201 never offers the booked slot', async () => {
    const day = '2026-12-07'; // a Monday (Friday's hours were removed above)
    const hours = Array.from({ length: 8 }, (_, i) => `${day}T${String(8 + i).padStart(2, '0')}:00:00.000Z`);
    let stop = false;
    // Readers keep the cache hot and version reads in flight the whole time.
    const load = Promise.all(Array.from({ length: 8 }, async () => { while (!stop) await starts('fresh', day); }));
    try {
      for (const slot of hours) {
        await book(slot);
        assert.ok(!(await starts('fresh', day)).includes(slot), `${slot} offered after its booking`);
      }
    } finally {
      stop = true;
      await load;
    }
  });
});

describe('compressed answers', () => {
  test('br or gzip as the client accepts, the same JSON as the plain answer', async () => {
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    const url = `/api/specialists/fresh/slots?service=${service.slug}&from=2026-12-14&to=2026-12-31&timezone=UTC`;
    const plain = await reader.app.inject(url);
    assert.equal(plain.headers['content-encoding'], undefined);
    for (const [accept, encoding, decode] of [['gzip, deflate, br', 'br', brotliDecompressSync], ['gzip', 'gzip', gunzipSync]] as const) {
      const res = await reader.app.inject({ url, headers: { 'accept-encoding': accept, origin: 'http://embedder.test' } });
      assert.equal(res.headers['content-encoding'], encoding);
      assert.match(String(res.headers.vary), /origin/i, 'the CORS Vary stays');
      assert.match(String(res.headers.vary), /accept-encoding/);
      assert.equal(res.headers.etag, plain.headers.etag);
      assert.equal(decode(res.rawPayload).toString(), plain.body);
    }
  });
});
