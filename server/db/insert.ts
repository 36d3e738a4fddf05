// INSERT statements with a fixed text per table, column list and row count, built without the
// query builder and run as named prepared statements (prepared.ts), and the app spends nothing on
// building an operation tree per booking. (The
// outbox writes several rows with every booking change; a new booking is written with its row
// returned.)
import { CompiledQuery } from 'kysely';
import { named } from './prepared.ts';

const texts = new Map<string, string>();
const MAX_TEXTS = 64; // row counts vary a little; past the cap a text is built each time

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** INSERT INTO `table` of `rows` (each with the same columns, in the same order), optionally RETURNING *. */
export function insertQuery<R = unknown>(table: string, rows: readonly Record<string, unknown>[], returning = false): CompiledQuery<R> {
  const columns = Object.keys(rows[0]!);
  const key = `${table}|${columns.join(',')}|${rows.length}|${returning}`;
  let text = texts.get(key);
  if (text === undefined) {
    let n = 0;
    const values = rows.map(() => `(${columns.map(() => `$${++n}`).join(', ')})`).join(', ');
    text = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${values}${returning ? ' RETURNING *' : ''}`;
    if (texts.size < MAX_TEXTS) texts.set(key, text);
  }
  return named(CompiledQuery.raw(text, rows.flatMap((row) => columns.map((c) => row[c]))) as CompiledQuery<R>);
}
