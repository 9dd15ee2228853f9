import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { plainToInstance } from 'class-transformer';
import { DeploymentFilter } from '../../src/query-filters/schemas/deployment-filter.dto';
import { FlowRunFilter } from '../../src/query-filters/schemas/flow-run-filter.dto';
import { FlowFilter } from '../../src/query-filters/schemas/flow-filter.dto';
import { FlowQueryFilters } from '../../src/flows/dto/flows-query.dto';
import { FlowSort } from '../../src/flows/dto/flow-sort';
import { FLOW_COLUMNS, flowPageSql, FlowPageSlot, flowQueryWhere, flowReads } from '../../src/flows/flows.repository';
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

  /** The page statement's text and params, as FlowRepository.findMatching fills them. */
  function page(filters: FlowQueryFilters, sort: FlowSort, limit: number, offset: number) {
    const where = flowQueryWhere(filters);
    // sampleFrom 0: the test table is small, and the sampled decision is what these tests look at.
    const statement = flowPageSql({ where: where.sql, sort, reads: flowReads(filters), sampleFrom: 0 });
    const fill: Record<FlowPageSlot, readonly unknown[]> = {
      where: where.params,
      n: [limit + offset],
      limit: [limit],
      offset: [offset],
    };
    return { sql: statement.sql, params: statement.slots.flatMap((slot) => fill[slot]) };
  }
  const format = (sql: string, params: readonly unknown[]) =>
    t.app
      .get(MikroORM)
      .em.getPlatform()
      .formatQuery(sql, [...params]);

  it('name like_ uses the trigram index on the lower-cased name', async () => {
    expect(await plan(flows({ name: { like_: 'abc12' } }), 'SELECT count(*)')).toContain('trgm_ix_flow_name_lower');
  });

  it('a page in name order with a common like_ term walks the name index without reading the table', async () => {
    const { sql, params } = page(flows({ name: { like_: 'flow-' } }), FlowSort.NAME_ASC, 200, 0);
    const text = (await t.sql.query(format(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params))).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    // The sampled flows all match: the walk runs (an index-only scan comparing the stored lower-cased name once the
    // visibility map is set, as after the VACUUM above; until then PostgreSQL may walk the name index itself), the
    // sort branch does not.
    expect(text).toMatch(
      /Index (Only )?Scan using (ix_flow__name_lower|uq_flow__name) on flow flow_\d \(actual[^\n]*rows=200/,
    );
    expect(text).toMatch(/Bitmap Heap Scan on flow[^\n]*never executed/);
  });

  it('a page in name order with a rare like_ term sorts its matches from the trigram index instead', async () => {
    const { sql, params } = page(flows({ name: { like_: 'abc12' } }), FlowSort.NAME_ASC, 200, 0);
    const text = (await t.sql.query(format(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params))).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(text).toMatch(/Bitmap Index Scan on trgm_ix_flow_name_lower \(actual/);
    expect(text).not.toMatch(/Index Only Scan using ix_flow__name_lower[^\n]*\(actual[^\n]*rows=[1-9]/);
  });

  it('either way, the page is the one a plain ORDER BY ... LIMIT ... OFFSET gives', async () => {
    const cases: FlowQueryFilters[] = [
      flows({ name: { like_: 'flow-' } }),
      flows({ name: { like_: 'a' } }),
      flows({ name: { like_: 'abc' } }),
      flows({ name: { like_: 'zzz-none' } }),
      flows({ name: { like_: 'FLOW-A', any_: ['x'] }, operator: 'or_' }),
      { ...flows({ name: { like_: 'b' } }), deployments: plainToInstance(DeploymentFilter, {}) },
      { flow_runs: plainToInstance(FlowRunFilter, { name: { any_: ['r1', 'r2'] } }) },
      flows({ tags: { all_: ['none'] } }),
      flows({ name: { like_: 'c' }, tags: { is_null_: true } }),
      flows({ name: { like_: 'c' }, deployment: { is_null_: true } }),
    ];
    for (const filters of cases) {
      for (const sort of [FlowSort.NAME_ASC, FlowSort.NAME_DESC]) {
        for (const [limit, offset] of [
          [200, 0],
          [7, 3],
          [50, 400],
        ]) {
          const { sql, params } = page(filters, sort, limit, offset);
          const got = (await t.sql.query(format(sql, params))).rows.map((r) => r.name);
          const where = flowQueryWhere(filters);
          const order = sort === FlowSort.NAME_ASC ? 'ASC' : 'DESC';
          const expected = (
            await t.sql.query(
              format(`SELECT name FROM flow WHERE ${where.sql} ORDER BY name ${order} LIMIT ? OFFSET ?`, [
                ...where.params,
                limit,
                offset,
              ]),
            )
          ).rows.map((r) => r.name);
          expect(got).toEqual(expected);
        }
      }
    }
  });

  it('like_ as lower(name) LIKE lower(pattern) keeps exactly the rows name ILIKE pattern keeps', async () => {
    const names = ['ÉTL-Ünïcode', 'straße-Job', 'İstanbul-sync', 'ǅemal', 'ΣΑΣ-ςσ', 'a_b%c', 'back\\slash', 'MiXeD'];
    const patterns = [
      'é',
      'ü',
      'SS',
      'ß',
      'i̇',
      'İ',
      'ǆ',
      'σ',
      'Σ',
      'ς',
      '_',
      '%',
      'a\\_b',
      '\\%',
      'x%d',
      'mixed',
      'b_c',
    ];
    const { rows } = await t.sql.query(
      `SELECT p, count(*) FILTER (WHERE n ILIKE '%' || p || '%') AS ilike,
              count(*) FILTER (WHERE lower(n) LIKE lower('%' || p || '%')) AS folded
         FROM unnest($1::text[]) AS n, unnest($2::text[]) AS p GROUP BY p`,
      [names, patterns],
    );
    for (const row of rows) expect({ p: row.p, n: row.folded }).toEqual({ p: row.p, n: row.ilike });
  });

  it('a name too long for its lower-cased copy in ix_flow__name_lower is stored and found all the same', async () => {
    // Random text does not compress: 2,000 bytes fit uq_flow__name's entry, but not twice over.
    const name = `Long-${randomBytes(1500).toString('base64').replace(/\//g, '_')}`;
    await t.sql.query('INSERT INTO flow (name) VALUES ($1)', [name]);
    try {
      const where = flowQueryWhere(flows({ name: { like_: 'LONG-' } }));
      const { rows } = await t.sql.query(format(`SELECT name FROM flow WHERE ${where.sql}`, where.params));
      expect(rows.map((r) => r.name)).toEqual([name]);
    } finally {
      await t.sql.query('DELETE FROM flow WHERE name = $1', [name]);
    }
  });

  it('tags all_ is a containment test the jsonb_path_ops GIN index serves', async () => {
    expect(await plan(flows({ tags: { all_: ['rare-tag', 'other'] } }))).toContain('ix_flow__tags_path');
  });

  it('name any_ and id any_ use btree indexes', async () => {
    expect(await plan(flows({ name: { any_: ['flow-x', 'flow-y'] } }))).toMatch(/uq_flow__name|ix_flow__name_lower/);
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
