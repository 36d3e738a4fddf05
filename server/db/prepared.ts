// Named prepared statements: node-postgres accepts `{ name, text }` where the SQL string goes, and
// Kysely's driver passes it through untouched. PostgreSQL then parses each text once per
// connection instead of on every call (and may settle on a generic plan), which was up to half of
// the hot statements' server time. Every distinct text gets its own name, so two texts never
// collide under one; past the cap a text still runs, unnamed. Works inside transactions and
// pipelines (same connection). Behind a transaction-pooling PgBouncer, enable its
// prepared-statement support.
import type { CompiledQuery } from 'kysely';

const names = new Map<string, string>();
const MAX_NAMED = 128; // the texts passed here are fixed or vary a little (row counts); the cap keeps a surprise from growing the map

/** `query` to run as a named prepared statement. */
export function named<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  let name = names.get(query.sql);
  if (name === undefined) {
    if (names.size >= MAX_NAMED) return query;
    names.set(query.sql, name = `bw_${names.size + 1}`);
  }
  return { ...query, sql: { name, text: query.sql } as unknown as string };
}
