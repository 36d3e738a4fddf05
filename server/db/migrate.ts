// Applies the dated migrations in migrations/ (each exports up/down and takes Kysely<any>).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

const MIGRATION_FILE = /^\d{4}-\d{2}-\d{2}T\d{4}_[\w-]+\.[jt]s$/;

class FolderProvider implements MigrationProvider {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    // .ts beside the sources, .js in the compiled copy (dist/node/migrations): the same names.
    const files = (await readdir(this.dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.replace(/\.[jt]s$/, '')] = await import(pathToFileURL(path.join(this.dir, file)).href);
    }
    return migrations;
  }
}

export class MigrationError extends Error {}

/**
 * Work lands from several branches, each with migrations named by its own number, so a release can
 * bring migrations that sort before one a database already ran (T1300 after T1800 ran). Those run
 * too, in name order among the pending ones: none of them depends on a later-named one.
 */
export async function migrateToLatest(db: Kysely<any>, dir = migrationsDir): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderProvider(dir), allowUnorderedMigrations: true });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${failed?.migrationName ?? '(setup)'} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
