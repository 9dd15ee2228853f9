import { MikroORM } from '@mikro-orm/postgresql';
import { plainToInstance } from 'class-transformer';
import { DeploymentFilter } from '../../src/query-filters/schemas/deployment-filter.dto';
import { FlowRunFilter } from '../../src/query-filters/schemas/flow-run-filter.dto';
import { FlowFilter } from '../../src/query-filters/schemas/flow-filter.dto';
import { FlowQueryFilters } from '../../src/flows/dto/flows-query.dto';
import { FlowSort } from '../../src/flows/dto/flow-sort';
import { FLOW_COLUMNS, flowPageSql, flowQueryWhere } from '../../src/flows/flows.repository';
import { startTestApp, TestContext } from '../support/test-app';

/** The statements flow filters produce can use the indexes compat D1 names (EXPLAIN on a few thousand rows). */
describe('flow filter indexes', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
    await t.truncate();
    await t.sql.query(`INSERT INTO flow (name) SELECT 'flow-' || md5(i::text) FROM generate_series(1, 3000) i`);
    await t.sql.query(`INSERT INTO deployment (name, flow_id) SELECT 'd', id FROM flow WHERE random() < 0.3`);
    await t.sql.query(
      `INSERT INTO flow_run (name, flow_id) SELECT 'r' || g, id FROM flow, generate_series(1, 3) g WHERE random() < 0.3`,
    );
    // VACUUM flushes the GIN pending list: right after a bulk load the planner prices the
    // trigram index by its unmerged pending entries and avoids it (autovacuum does this in service).
    await t.sql.query('VACUUM ANALYZE flow, deployment, flow_run');
    // Sequential scans are cheap at this size; turning them off shows which indexes the statements CAN use.
    await t.sql.query('SET enable_seqscan = off');
  });
  afterAll(() => t.close());

  async function plan(filters: FlowQueryFilters, select = `SELECT ${FLOW_COLUMNS}`): Promise<string> {
    const where = flowQueryWhere(filters);
    const sql = t.app
      .get(MikroORM)
      .em.getPlatform()
      .formatQuery(`EXPLAIN ${select} FROM flow WHERE ${where.sql}`, [...where.params]);
    return (await t.sql.query(sql)).rows.map((r) => r['QUERY PLAN']).join('\n');
  }
  const flows = (plain: object) => ({ flows: plainToInstance(FlowFilter, plain) });

  it('name like_ uses the trigram index', async () => {
    expect(await plan(flows({ name: { like_: 'abc12' } }), 'SELECT count(*)')).toContain('trgm_ix_flow_name');
  });

  it('a page in name order with a common like_ term walks the name index without reading the table', async () => {
    const where = flowQueryWhere(flows({ name: { like_: 'flow-' } }));
    const sql = t.app
      .get(MikroORM)
      .em.getPlatform()
      .formatQuery(`EXPLAIN ${flowPageSql(where.sql, FlowSort.NAME_ASC, true)}`, [...where.params, 200, 0]);
    const text = (await t.sql.query(sql)).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('Index Only Scan using uq_flow__name');
  });

  it('tags all_ is a containment test the jsonb_path_ops GIN index serves', async () => {
    expect(await plan(flows({ tags: { all_: ['rare-tag', 'other'] } }))).toContain('ix_flow__tags_path');
  });

  it('name any_ and id any_ use btree indexes', async () => {
    expect(await plan(flows({ name: { any_: ['flow-x', 'flow-y'] } }))).toContain('uq_flow__name');
    expect(await plan(flows({ id: { any_: ['00000000-0000-4000-8000-000000000000'] } }))).toContain('flow_pkey');
  });

  it('the EXISTS subqueries use indexes leading with flow_id', async () => {
    const one = flows({ name: { any_: ['flow-x'] } });
    expect(await plan({ ...one, deployments: plainToInstance(DeploymentFilter, {}) })).toMatch(
      /(ix_deployment__flow_id|uq_deployment__flow_id_name) on deployment d/,
    );
    expect(await plan({ ...one, flow_runs: plainToInstance(FlowRunFilter, { name: { any_: ['r1'] } }) })).toMatch(
      /(ix_flow_run__flow_id|uq_flow_run__flow_id_idempotency_key) on flow_run fr/,
    );
  });
});
