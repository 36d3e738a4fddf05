import { expect } from '@open-wc/testing';
import { googleCalendarUrl, icsFile } from './calendar-links.ts';

describe('calendar links', () => {
  const ev = {
    uid: 'b1@booking-widget', start: '2026-03-29T00:30:00.000Z', end: '2026-03-29T01:20:00.000Z',
    title: 'Consultation; with Dr. Weber, PhD', description: 'Line one\nLine two', url: `https://clinic.example/?booking=b1&token=${'x'.repeat(90)}`,
  };

  it('writes an RFC 5545 event in UTC with escaped text and folded lines', () => {
    const ics = icsFile(ev, Date.parse('2026-03-01T12:00:00Z'));
    expect(ics.endsWith('\r\n')).to.equal(true);
    const lines = ics.split('\r\n');
    expect(lines).to.include('DTSTART:20260329T003000Z');
    expect(lines).to.include('DTEND:20260329T012000Z');
    expect(lines).to.include('DTSTAMP:20260301T120000Z');
    expect(lines).to.include('SUMMARY:Consultation\\; with Dr. Weber\\, PhD');
    expect(lines).to.include('DESCRIPTION:Line one\\nLine two');
    for (const l of lines) expect(l.length).to.be.at.most(75);
    // Unfolding (CRLF + space removed) gives back the URL whole.
    expect(ics.replace(/\r\n /g, '')).to.contain(`URL:${ev.url}`);
  });

  it('builds a Google Calendar template link', () => {
    const url = new URL(googleCalendarUrl(ev));
    expect(url.origin + url.pathname).to.equal('https://calendar.google.com/calendar/render');
    expect(url.searchParams.get('action')).to.equal('TEMPLATE');
    expect(url.searchParams.get('dates')).to.equal('20260329T003000Z/20260329T012000Z');
    expect(url.searchParams.get('text')).to.equal(ev.title);
  });
});
