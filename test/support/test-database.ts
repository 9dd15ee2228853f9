/**
 * The test database: one PostgreSQL per test run (embedded, on a free port, in a temporary
 * folder; or the server DATABASE_URL names), a template database with the migrations
 * applied, and one database per jest worker cloned from it, so workers never share rows.
 */
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export const TEMPLATE_DB = 'flow_registry_test_template';
export const TABLES = ['task_run', 'flow_run', 'deployment', 'work_queue', 'work_pool', 'flow', 'log'];

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  return withDatabase(serverUrl, name);
}

/**
 * Runs every migration on `url` through the migration CLI, in a child process: MikroORM
 * keeps its metadata in a process-wide global, which must not leak from jest's global
 * setup into the test realms (mikro-orm#3783).
 */
export function migrate(url: string): void {
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/migrate.cli.ts', 'up'], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** jest globalSetup: server + migrated template; hands the server URL to the workers. */
export async function startTestServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, stop: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'flow-registry-test-'));
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    port: 0,
    database: 'postgres',
    ephemeral: true,
    // Throw-away cluster: durability off for speed.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: 200 },
    log: () => undefined,
  });
  return { url: pg.url, stop: () => pg.stop() };
}
