// INSERT statements with a fixed text per table, column list and row count, built without the
// query builder and run as named prepared statements: PostgreSQL parses and plans each text once
// per connection, and the app spends nothing on building an operation tree per booking. (The
// outbox writes several rows with every booking change; a new booking is written with its row
// returned.)
import { CompiledQuery } from 'kysely';

const texts = new Map<string, { text: string; name: string | undefined }>();
const MAX_NAMED = 64; // row counts vary a little; past the cap a text still works, unnamed

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** INSERT INTO `table` of `rows` (each with the same columns, in the same order), optionally RETURNING *. */
export function insertQuery<R = unknown>(table: string, rows: readonly Record<string, unknown>[], returning = false): CompiledQuery<R> {
  const columns = Object.keys(rows[0]!);
  const key = `${table}|${columns.join(',')}|${rows.length}|${returning}`;
  let entry = texts.get(key);
  if (entry === undefined) {
    let n = 0;
    const values = rows.map(() => `(${columns.map(() => `$${++n}`).join(', ')})`).join(', ');
    const text = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${values}${returning ? ' RETURNING *' : ''}`;
    texts.set(key, entry = { text, name: texts.size < MAX_NAMED ? `bw_insert_${texts.size + 1}` : undefined });
  }
  const parameters = rows.flatMap((row) => columns.map((c) => row[c]));
  const query = CompiledQuery.raw(entry.text, parameters) as CompiledQuery<R>;
  return entry.name === undefined ? query : { ...query, sql: { name: entry.name, text: entry.text } as unknown as string };
}
