/**
 * The bench's PostgreSQL: an embedded server in a temporary folder (removed afterwards), or the
 * server DATABASE_URL names. Either way the bench works in its own database, dropped and
 * recreated at start, and migrated with the project's migration CLI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { recreateDatabase } from '../test/support/test-database';
import { onExit, onShutdown, runProcess } from './processes';

export const BENCH_DATABASE = 'flow_registry_bench';
const ROOT = join(__dirname, '..');

export interface BenchDatabase {
  /** URL of the bench database. */
  url: string;
  /** URL of the server's maintenance database (to create more bench databases). */
  serverUrl: string;
  /** "embedded PostgreSQL 18.x" or the external server's host. */
  description: string;
}

/**
 * Settings for the throw-away embedded cluster: durability off (as in the tests; it affects
 * the app and the baseline alike) and a buffer cache large enough for the 1M-flow data set.
 */
const EMBEDDED_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  shared_buffers: '512MB',
  max_connections: 100,
};

export async function startDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  let serverUrl: string;
  let description: string;
  if (external) {
    serverUrl = external;
    description = `external PostgreSQL at ${new URL(external).host}`;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'flow-registry-bench-'));
    onExit(() => rmSync(dir, { recursive: true, force: true }));
    log(`starting embedded PostgreSQL in ${dir}`);
    const pg = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      port: 0,
      database: 'postgres',
      ephemeral: true,
      settings: EMBEDDED_SETTINGS,
      log: () => undefined,
    });
    onShutdown('stopping embedded PostgreSQL', () => pg.stop());
    serverUrl = pg.url;
    description = 'embedded PostgreSQL';
  }
  const url = await recreateDatabase(serverUrl, BENCH_DATABASE);
  const version = await query<{ v: string }>(url, `SELECT current_setting('server_version') AS v`);
  return { url, serverUrl, description: `${description} ${version[0].v}` };
}

/** Another empty bench database on the same server (`flow_registry_bench_<suffix>`), dropped and recreated. */
export function freshDatabase(database: BenchDatabase, suffix: string): Promise<string> {
  return recreateDatabase(database.serverUrl, `${BENCH_DATABASE}_${suffix}`);
}

/** Applies every migration through the project's CLI, in a child process (as the tests do). */
export async function migrate(url: string): Promise<void> {
  await runProcess(
    'migrate',
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'src/cli/migrate.cli.ts', 'up'],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    },
  );
}

/** One-off query on a short-lived connection. */
export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A connection kept open for the whole bench (seeding, refills, cleanups). */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'bench-harness' });
  await client.connect();
  // On shutdown the server may go first; a dropped connection is then expected, not a crash.
  client.on('error', (err) => process.stderr.write(`  harness connection: ${err.message}\n`));
  onShutdown('closing the harness connection', () => client.end());
  return client;
}
