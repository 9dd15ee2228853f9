import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Client } from 'pg';
import { recreateDatabase } from '../support/test-database';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** Runs the migration CLI (the `npm run migration:*` scripts) against `url`. */
function cli(command: string, url: string) {
  return run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/migrate.cli.ts', command], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
  });
}

describe('migrations', () => {
  let url: string;
  beforeAll(async () => {
    url = await recreateDatabase(
      process.env.TEST_PG_SERVER_URL as string,
      `flow_registry_test_migrations_${process.env.JEST_WORKER_ID}`,
    );
  }, 60_000);

  it('go up from an empty database, create every table, and leave nothing pending', async () => {
    const before = await cli('check', url).catch((e: { code: number; stdout: string }) => e);
    expect((before as { code?: number }).code).toBe(1);
    expect((before as { stdout: string }).stdout).toMatch(/pending migrations/);

    const up = await cli('up', url);
    expect(up.stdout).toMatch(/applied: Migration/);

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      expect(rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['deployment', 'flow', 'flow_count', 'flow_run', 'task_run', 'work_pool', 'work_queue']),
      );
      const indexes = await client.query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'flow'");
      const byName = Object.fromEntries(indexes.rows.map((r) => [r.indexname, r.indexdef]));
      expect(byName.uq_flow__name).toMatch(/UNIQUE.*\(name\)/);
      expect(byName.trgm_ix_flow_name_lower).toMatch(
        /gin \(COALESCE\(\s*CASE\s+WHEN[\s\S]*lower\(\(name\)::text\)\) gin_trgm_ops\)/,
      );
      expect(byName.ix_flow__name_lower).toMatch(/\(name, \(\s*CASE\s+WHEN[\s\S]*END\)\) INCLUDE \(id\)/);
      expect(byName.ix_flow__created).toBeDefined();
      expect(byName.ix_flow__updated).toBeDefined();
      const fks = await client.query(
        `SELECT conname, confdeltype FROM pg_constraint WHERE contype = 'f' ORDER BY conname`,
      );
      const rules = Object.fromEntries(fks.rows.map((r) => [r.conname, r.confdeltype]));
      expect(rules).toMatchObject({
        fk_deployment__flow_id__flow: 'c',
        fk_flow_run__flow_id__flow: 'c',
        fk_task_run__flow_run_id__flow_run: 'c',
        fk_work_queue__work_pool_id__work_pool: 'c',
        fk_deployment__work_queue_id__work_queue: 'n',
      });
    } finally {
      await client.end();
    }

    const check = await cli('check', url);
    expect(check.stdout).toMatch(/up to date: no pending migrations, no schema drift/);
  }, 120_000);

  it('go down and up again', async () => {
    const down = await cli('down', url);
    expect(down.stdout).toMatch(/reverted: Migration/);
    const up = await cli('up', url);
    expect(up.stdout).toMatch(/applied: Migration/);
    expect((await cli('pending', url)).stdout).toMatch(/no pending migrations/);
  }, 120_000);
});
