// Add-to-calendar links built in the browser: an RFC 5545 .ics file (as a data: URL, so no
// server round trip) and a Google Calendar "template" link. Times are UTC ("Z"), which every
// calendar converts to its owner's zone: no VTIMEZONE needed, nothing to get an hour wrong.

export interface CalendarEvent {
  uid: string;
  start: string;
  end: string;
  title: string;
  description: string;
  url?: string;
  /** Where it happens: the video call's join link. */
  location?: string;
}

/** 2026-11-24T13:30:00.000Z -> 20261124T133000Z */
function stamp(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** TEXT escaping of RFC 5545 §3.3.11. */
function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n').replace(/[,;]/g, (c) => `\\${c}`);
}

/** Lines longer than 75 octets are folded (§3.1); counting UTF-16 units keeps it simple and safe. */
function fold(line: string): string {
  const out: string[] = [];
  for (let i = 0; i < line.length; i += 73) out.push((i ? ' ' : '') + line.slice(i, i + 73));
  return out.join('\r\n');
}

export function icsFile(ev: CalendarEvent, now: number): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//booking-widget//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${ev.uid}`,
    `DTSTAMP:${stamp(new Date(now).toISOString())}`,
    `DTSTART:${stamp(ev.start)}`,
    `DTEND:${stamp(ev.end)}`,
    `SUMMARY:${escapeText(ev.title)}`,
    `DESCRIPTION:${escapeText(ev.description)}`,
    ...(ev.location ? [`LOCATION:${escapeText(ev.location)}`] : []),
    ...(ev.url ? [`URL:${ev.url}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

export function icsDataUrl(ev: CalendarEvent, now: number): string {
  return `data:text/calendar;charset=utf-8,${encodeURIComponent(icsFile(ev, now))}`;
}

export function googleCalendarUrl(ev: CalendarEvent): string {
  const q = new URLSearchParams({
    action: 'TEMPLATE',
    text: ev.title,
    dates: `${stamp(ev.start)}/${stamp(ev.end)}`,
    details: ev.url ? `${ev.description}\n${ev.url}` : ev.description,
  });
  return `https://calendar.google.com/calendar/render?${q}`;
}
