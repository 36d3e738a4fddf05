// No open mail relay: a booking form takes any address and any name, so the visitor's mail never
// carries what the visitor typed, and an unverified address receives a bounded number of messages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { DAY, HOUR, T0, addPractice, bookingBody, type Practice } from '../bookings/fixtures.ts';
import { composeMessage } from '../../server/notifications/sender.ts';
import { emailHash } from '../../server/abuse/identity.ts';

const clock = new TestClock(T0);
let t: TestApp;
let p: Practice;
const SPAM = 'Buy cheap pills at http://spam.example';

before(async () => {
  t = await startTestApp({ clock, env: { MAIL_CAP_PER_ADDRESS: '3', RATE_LIMIT_WRITES_PER_MINUTE: '100000' } });
  p = await addPractice(t.database.db);
});
after(() => t.close());

async function bookAndCancel(i: number, email: string, reason?: string) {
  const created = await t.app.inject({ method: 'POST', url: '/api/bookings', payload: { ...bookingBody({ specialist: p.specialist.id, service: p.service.id }, T0 + 3 * DAY + (8 + i) * HOUR), visitor: { name: SPAM, email, timezone: 'UTC' } } });
  assert.equal(created.statusCode, 201, created.body);
  const cancel = await t.app.inject({ method: 'POST', url: `/api/bookings/${created.json().id}/cancel`, headers: { authorization: `Bearer ${created.json().manageToken}` }, payload: reason ? { reason } : {} });
  assert.equal(cancel.statusCode, 200, cancel.body);
  return created.json().id as string;
}

const visitorEvents = (email: string) => t.database.db.selectFrom('notifications').select(['kind', 'booking_id'])
  .where(sql<string>`lower(recipient)`, '=', email).where('kind', 'like', 'visitor.%').where('kind', 'not like', 'visitor.reminder%').where('kind', '!=', 'visitor.review_request').execute();

describe('what the visitor typed stays out of the visitor\'s mail', () => {
  test('no name in the greeting or anywhere in the message or invitation; the visitor\'s own cancel reason is left out', async () => {
    const id = await bookAndCancel(0, 'victim@example.test', SPAM);
    const rows = await t.database.db.selectFrom('notifications').selectAll().where('booking_id', '=', id).where('channel', '=', 'email').execute();
    const booking = await t.database.db.selectFrom('bookings as b').innerJoin('specialists as s', 's.id', 'b.specialist_id').selectAll('b')
      .select(['s.name as specialist_name', 's.email as specialist_email', 's.timezone as specialist_timezone', 's.slug as specialist_slug']).where('b.id', '=', id).executeTakeFirstOrThrow();
    for (const row of rows.filter((r) => r.kind.startsWith('visitor.'))) {
      const { rendered, ics } = composeMessage(t.config, clock.now(), row, booking);
      assert.equal(rendered.text.split('\n')[0], 'Hello,', row.kind);
      for (const part of [rendered.subject, rendered.text, rendered.html, rendered.sms, ics ?? '']) {
        assert.ok(!part.includes('pills'), `${row.kind}: ${part.slice(0, 200)}`);
      }
    }
    const forSpecialist = rows.find((r) => r.kind === 'specialist.cancellation')!;
    assert.ok(composeMessage(t.config, clock.now(), forSpecialist, booking).rendered.text.includes('pills'), 'the specialist still sees who it was');
  });
});

describe('a cap on mail to one unverified address', () => {
  test('book-and-cancel cycles under someone else\'s address mail them at most 3 times a day', async () => {
    for (let i = 1; i <= 4; i++) await bookAndCancel(i, 'target@example.test');
    const events = await visitorEvents('target@example.test');
    assert.equal(events.length, 3, events.map((e) => e.kind).join());
    clock.advance(DAY + 1);
    await bookAndCancel(6, 'target@example.test');
    assert.equal((await visitorEvents('target@example.test')).length, 5, 'a day later the count starts again');
  });

  test('a verified address is not capped', async () => {
    await t.database.db.insertInto('verified_emails').values({ email_hash: emailHash(t.config.secretKey, 'owner@example.test'), verified_at: new Date(clock.now()) }).execute();
    for (let i = 7; i <= 9; i++) await bookAndCancel(i, 'Owner@example.test');
    assert.equal((await visitorEvents('owner@example.test')).length, 6);
  });
});
