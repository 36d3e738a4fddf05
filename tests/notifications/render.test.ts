// Pure parts: the iCalendar writer (CRLF, folding, escaping), the templates (escaping, locales,
// both zones) and the outbox plan (which rows a booking event produces).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildIcs, escapeText, foldLine } from '../../server/notifications/ics.ts';
import { escapeHtml, pickLocale, renderMessage, type MessageView } from '../../server/notifications/templates.ts';
import { planNotifications, subscribes, type PlanInput } from '../../server/notifications/outbox.ts';
import { isE164 } from '../../server/notifications/phone.ts';
import { parseIcs, MIN } from './support.ts';

describe('iCalendar', () => {
  const event = {
    method: 'REQUEST' as const, uid: 'b1@example.com', sequence: 2, stamp: Date.parse('2026-12-01T08:00:00Z'),
    start: Date.parse('2026-12-04T10:00:00Z'), end: Date.parse('2026-12-04T10:50:00Z'),
    summary: 'Консультация; «видео», with a very long title that certainly needs folding across lines',
    description: 'Line one\nLine two, with; specials\\',
    location: 'https://example.com/?booking=b1&token=t&action=join', url: 'https://example.com/?booking=b1&token=t',
    organizer: { name: 'Dr. Weber, "Anna"', email: 'anna@example.com' }, attendee: { name: 'Jane', email: 'jane@example.com' },
  };

  test('CRLF endings, lines of at most 75 octets, UTF-8 never split, values round-trip', () => {
    const ics = buildIcs(event);
    assert.ok(ics.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(ics), 'no bare LF');
    const cal = parseIcs(ics); // throws on a line over 75 octets
    assert.equal(cal.method, 'REQUEST');
    const ev = cal.events[0];
    assert.equal(ev.SUMMARY.value, escapeText(event.summary));
    assert.equal(ev.DESCRIPTION.value, 'Line one\\nLine two\\, with\\; specials\\\\');
    assert.equal(ev.DTSTART.value, '20261204T100000Z');
    assert.equal(ev.SEQUENCE.value, '2');
    assert.equal(ev.ORGANIZER.params, ';CN="Dr. Weber, Anna"');
    for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75);
  });

  test('folding keeps multi-byte characters whole', () => {
    const folded = foldLine(`SUMMARY:${'я'.repeat(100)}`);
    const parts = folded.split('\r\n ');
    assert.ok(parts.length > 1);
    for (const p of parts) assert.ok(Buffer.byteLength(p) <= 75 && !p.includes('\uFFFD'));
    assert.equal(parts.join(''), `SUMMARY:${'я'.repeat(100)}`);
  });

  test('property: folding any text gives lines of at most 75 octets that unfold to the original', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
      const line = `DESCRIPTION:${escapeText(text)}`;
      const folded = foldLine(line);
      for (const part of folded.split('\r\n')) assert.ok(Buffer.byteLength(part) <= 75);
      assert.equal(folded.replace(/\r\n /g, ''), line);
      assert.ok(!/[\r\n]/.test(escapeText(text)), 'escaped text has no raw line breaks');
    }), { numRuns: 300 });
  });

  test('CANCEL marks the event cancelled', () => {
    const ev = parseIcs(buildIcs({ ...event, method: 'CANCEL', sequence: 3 })).events[0];
    assert.equal(ev.STATUS.value, 'CANCELLED');
    assert.equal(ev.SEQUENCE.value, '3');
  });
});

describe('templates', () => {
  const view: MessageView = {
    kind: 'visitor.confirmation', locale: 'en', serviceName: 'Consult <b>now</b>', otherName: 'Dr. "X" & Co',
    recipientName: '<script>alert(1)</script>', start: Date.parse('2026-07-01T12:00:00Z'), end: Date.parse('2026-07-01T12:50:00Z'),
    recipientZone: 'Asia/Kathmandu', otherZone: 'America/St_Johns', previous: null,
    manageUrl: 'https://x.test/?booking=1&token=a"b', joinUrl: null, cancelReason: null,
  };

  test('user input is escaped in HTML and left readable in text', () => {
    const m = renderMessage(view);
    assert.ok(!m.html.includes('<script>'));
    assert.ok(m.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(m.html.includes('Consult &lt;b&gt;now&lt;/b&gt;'));
    assert.ok(m.html.includes('Dr. &quot;X&quot; &amp; Co'));
    assert.ok(m.html.includes('href="https://x.test/?booking=1&amp;token=a&quot;b"'));
    assert.ok(m.text.includes('<script>alert(1)</script>'));
    assert.equal(escapeHtml(`<>&"'`), '&lt;&gt;&amp;&quot;&#39;');
  });

  test("both zones, with 45- and 30-minute offsets, in the recipient's language", () => {
    const en = renderMessage(view);
    assert.match(en.text, /17:45 .*\(Asia\/Kathmandu\)/);
    assert.match(en.text, /09:30 .*\(America\/St_Johns\)/);
    const de = renderMessage({ ...view, locale: 'de' });
    assert.match(de.subject, /^Bestätigt/);
    assert.match(de.text, /Mittwoch, 1\. Juli 2026/);
    const ru = renderMessage({ ...view, locale: 'ru' });
    assert.match(ru.subject, /^Подтверждено/);
    assert.match(ru.text, /среда, 1 июля 2026/);
    assert.equal(pickLocale('de-AT'), 'de');
    assert.equal(pickLocale('fr'), 'en');
  });

  test('every kind renders in every locale', () => {
    const kinds = ['visitor.confirmation', 'visitor.request_received', 'visitor.declined', 'visitor.cancellation', 'visitor.reschedule',
      'visitor.reminder_24h', 'visitor.reminder_1h', 'visitor.reminder_15m', 'visitor.review_request',
      'specialist.new_booking', 'specialist.approval_request', 'specialist.cancellation', 'specialist.reschedule'];
    for (const locale of ['en', 'de', 'ru'] as const) {
      for (const kind of kinds) {
        const m = renderMessage({ ...view, kind, locale, joinUrl: 'https://x.test/join' });
        assert.ok(m.subject && m.text && m.html && m.sms, `${locale} ${kind}`);
        assert.ok(m.sms.includes('https://x.test/join'));
      }
    }
    assert.throws(() => renderMessage({ ...view, kind: 'nope' }), /no template/);
  });
});

describe('outbox plan', () => {
  const now = Date.parse('2026-12-01T08:00:00Z');
  const start = Date.parse('2026-12-01T10:00:00Z');
  const base: PlanInput = {
    event: 'created', now,
    booking: {
      id: 'b1', status: 'confirmed', starts_at: new Date(start), ends_at: new Date(start + 50 * MIN), visitor_email: 'v@x.test',
      visitor_phone: '+15551234567', specialist_id: 's1', service_id: 'svc', visitor_name: 'V', visitor_timezone: 'UTC',
      visitor_locale: 'en', cancel_reason: null, cancelled_by: null,
      service_terms: { name: 'S', durationMin: 50, priceCents: null, currency: null, cancellationPolicy: 'flexible', bufferBeforeMin: 0, bufferAfterMin: 0, videoEnabled: true },
    },
    specialistEmail: 's@x.test', smsEnabled: true, sealedToken: 'sealed', previous: null, icsSequence: 0,
    webhooks: [{ id: 'w1', url: 'https://crm.test/hook' }], calendars: [{ id: 'c1', provider: 'google' }],
  };
  const summary = (rows: ReturnType<typeof planNotifications>) => rows.map((r) => `${r.channel}:${r.kind}@${(r.sendAt - now) / MIN}`).sort();

  test('a confirmed booking two hours ahead: no 24 h reminder, SMS twins, webhook, calendar', () => {
    assert.deepEqual(summary(planNotifications(base)), [
      'calendar:calendar.upsert@0',
      'email:specialist.new_booking@0',
      'email:visitor.confirmation@0',
      'email:visitor.reminder_15m@105',
      'email:visitor.reminder_1h@60',
      'email:visitor.review_request@290',
      'sms:visitor.reminder_15m@105',
      'sms:visitor.reminder_1h@60',
      'webhook:booking.created@0',
    ]);
    const visitorRows = planNotifications(base).filter((r) => r.kind.startsWith('visitor.'));
    assert.ok(visitorRows.every((r) => r.payload.manageTokenSealed === 'sealed'));
    assert.ok(planNotifications(base).filter((r) => r.kind.startsWith('specialist.')).every((r) => !('manageTokenSealed' in r.payload)));
  });

  test('a pending booking: request received and approval request, no reminders yet', () => {
    const rows = planNotifications({ ...base, booking: { ...base.booking, status: 'pending' }, webhooks: [], calendars: [] });
    assert.deepEqual(summary(rows), ['email:specialist.approval_request@0', 'email:visitor.request_received@0']);
  });

  test('no SMS without Twilio or without a valid number', () => {
    assert.ok(!planNotifications({ ...base, smsEnabled: false }).some((r) => r.channel === 'sms'));
    assert.ok(!planNotifications({ ...base, booking: { ...base.booking, visitor_phone: '555-1234' } }).some((r) => r.channel === 'sms'));
  });

  test('cancellation and decline produce notices and a calendar delete, never reminders', () => {
    const cancelled = { ...base.booking, status: 'cancelled' as const };
    assert.deepEqual(summary(planNotifications({ ...base, event: 'cancelled', booking: cancelled })), [
      'calendar:calendar.delete@0', 'email:specialist.cancellation@0', 'email:visitor.cancellation@0', 'webhook:booking.cancelled@0',
    ]);
    assert.deepEqual(summary(planNotifications({ ...base, event: 'declined', booking: cancelled, webhooks: [] })), [
      'calendar:calendar.delete@0', 'email:visitor.declined@0',
    ]);
  });

  test('webhook subscriptions', () => {
    assert.ok(subscribes(['booking.created'], 'booking.created'));
    assert.ok(!subscribes(['booking.created'], 'booking.cancelled'));
    assert.ok(subscribes(['booking.*'], 'booking.cancelled'));
    assert.ok(subscribes(['*'], 'booking.cancelled'));
    assert.ok(subscribes([], 'booking.cancelled'));
  });

  test('E.164', () => {
    assert.ok(isE164('+4915112345678'));
    assert.ok(!isE164('+0151123456'));
    assert.ok(!isE164('4915112345678'));
    assert.ok(!isE164(`+1${'2'.repeat(15)}`));
  });
});
