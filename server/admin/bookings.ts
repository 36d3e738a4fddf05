// Bookings across the practice, for the site owner: filtered (time range, specialist, service,
// status, the visitor's name or email), ordered by start with the id as tie-break, and paged by
// keyset, so a page never repeats or skips a row while bookings are added meanwhile. The CSV
// export walks the same pages.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { AdminBookingQuery } from '../../shared/admin.ts';
import type { BookingPage } from '../../shared/bookings.ts';
import { findService, findSpecialist } from '../availability/load.ts';
import type { Db } from '../db/pool.ts';
import type { Booking, Database } from '../db/schema.ts';
import { badRequest } from '../http/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { viewsOf } from '../bookings/store.ts';

export const DEFAULT_PAGE = 50;

interface Cursor { start: number; id: string }

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.start}.${c.id}`).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  const [start, id] = Buffer.from(value, 'base64url').toString('utf8').split('.');
  if (!start || !/^\d+$/.test(start) || !id || !isUuid(id)) throw badRequest('invalid_cursor', 'The cursor is not one this API handed out.', 'query.cursor');
  return { start: Number(start), id };
}

/** `%` and `_` are LIKE wildcards: a visitor called "50%_off" is searched for literally. */
const likePattern = (q: string) => `%${q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type Filters = Omit<AdminBookingQuery, 'limit' | 'cursor' | 'order'>;

/** The filtered query; unknown specialists or services are a 400 naming the parameter. */
async function filtered(db: Db, f: Filters): Promise<SelectQueryBuilder<Database, 'bookings', object>> {
  let q = db.selectFrom('bookings') as SelectQueryBuilder<Database, 'bookings', object>;
  if (f.from !== undefined) q = q.where('starts_at', '>=', new Date(f.from));
  if (f.to !== undefined) {
    const to = Date.parse(f.to);
    if (Number.isNaN(to)) throw badRequest('invalid_range', '`to` is not an instant.', 'query.to');
    if (f.from !== undefined && to <= Date.parse(f.from)) throw badRequest('invalid_range', '`to` must be after `from`.', 'query.to');
    q = q.where('starts_at', '<', new Date(to));
  }
  if (f.specialist !== undefined) {
    const s = await findSpecialist(db, f.specialist, { includeArchived: true });
    if (!s) throw badRequest('unknown_specialist', `No specialist has the id or slug "${f.specialist}".`, 'query.specialist');
    q = q.where('specialist_id', '=', s.id);
  }
  if (f.service !== undefined) {
    const s = await findService(db, f.service, { includeArchived: true });
    if (!s) throw badRequest('unknown_service', `No service has the id or slug "${f.service}".`, 'query.service');
    q = q.where('service_id', '=', s.id);
  }
  if (f.status !== undefined && f.status.length > 0) q = q.where('status', 'in', f.status);
  if (f.q !== undefined && f.q.trim() !== '') {
    const pattern = likePattern(f.q);
    q = q.where((eb) => eb.or([
      eb(sql<string>`lower(visitor_name)`, 'like', pattern),
      eb(sql<string>`lower(visitor_email)`, 'like', pattern),
    ]));
  }
  return q;
}

/** One page of rows after `cursor` in the given order. */
async function pageRows(base: SelectQueryBuilder<Database, 'bookings', object>, order: 'asc' | 'desc', limit: number, cursor: Cursor | null): Promise<Booking[]> {
  let q = base.selectAll();
  if (cursor !== null) {
    const after = sql<boolean>`(starts_at, id) ${sql.raw(order === 'asc' ? '>' : '<')} (${new Date(cursor.start)}::timestamptz, ${cursor.id}::uuid)`;
    q = q.where(after);
  }
  return q.orderBy('starts_at', order).orderBy('id', order).limit(limit).execute() as Promise<Booking[]>;
}

export async function listBookings(db: Db, query: AdminBookingQuery, now: number): Promise<BookingPage> {
  const order = query.order ?? 'asc';
  const limit = query.limit ?? DEFAULT_PAGE;
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const base = await filtered(db, query);
  // One row more than asked tells whether another page follows, without a second query.
  const [rows, counted] = await Promise.all([
    pageRows(base, order, limit + 1, cursor),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    bookings: await viewsOf(db, page, 'admin', now),
    nextCursor: rows.length > limit && last ? encodeCursor({ start: last.starts_at.getTime(), id: last.id }) : null,
    total: Number((counted as { n: string }).n),
  };
}

const CSV_COLUMNS = [
  'id', 'status', 'start', 'end', 'specialist', 'service', 'visitor_name', 'visitor_email', 'visitor_phone', 'visitor_timezone',
  'price', 'currency', 'created_at', 'cancelled_by', 'cancel_reason',
] as const;

/**
 * One CSV field (RFC 4180 quoting). A value a spreadsheet would run as a formula (= + - @ and
 * tab or CR first) is prefixed with an apostrophe: visitors type these values.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A price in the currency's minor unit as a decimal amount (2 places for EUR, none for JPY). */
function majorUnits(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (minor / 10 ** digits).toFixed(digits);
}

/** The whole filtered set as CSV lines, fetched page by page. */
export async function* bookingsCsv(db: Db, filters: Filters): AsyncGenerator<string> {
  const base = await filtered(db, filters);
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  const names = new Map<string, string>();
  let cursor: Cursor | null = null;
  for (;;) {
    const rows = await pageRows(base, 'asc', 500, cursor);
    if (rows.length === 0) return;
    const missing = [...new Set(rows.map((r) => r.specialist_id).filter((id) => !names.has(id)))];
    if (missing.length > 0) {
      for (const s of await db.selectFrom('specialists').select(['id', 'name']).where('id', 'in', missing).execute()) names.set(s.id, s.name);
    }
    let chunk = '';
    for (const b of rows) {
      const t = b.service_terms;
      chunk += [
        b.id, b.status, b.starts_at.toISOString(), b.ends_at.toISOString(), names.get(b.specialist_id) ?? '', t.name,
        b.visitor_name, b.visitor_email, b.visitor_phone, b.visitor_timezone,
        t.priceCents === null || t.currency === null ? null : majorUnits(t.priceCents, t.currency), t.currency, b.created_at.toISOString(), b.cancelled_by, b.cancel_reason,
      ].map(csvField).join(',') + '\r\n';
    }
    yield chunk;
    const last = rows.at(-1)!;
    cursor = { start: last.starts_at.getTime(), id: last.id };
  }
}
