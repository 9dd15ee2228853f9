import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { FlowsService } from '../../src/flows/flows.service';
import { seeder } from '../support/flow-filter-seed';
import { startTestApp, TestContext } from '../support/test-app';

/** filter / count / paginate / bulk_delete: sorting, paging, limits, body handling (compat A5-A8). */
describe('flow query endpoints', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.truncate());

  const post = (path: string, body?: unknown) => {
    const req = t.http.post(`/api/flows/${path}`);
    return body === undefined ? req : req.send(body as object);
  };
  const names = (res: { body: { name: string }[] }) => res.body.map((f) => f.name);
  const locs = (res: { body: { exception_detail: { type: string; loc: unknown[] }[] } }) =>
    res.body.exception_detail.map((e) => [e.type, e.loc]);

  /** Flows named n0..n(count-1) with the same created/updated timestamp. */
  async function seedFlows(count: number, at = '2024-01-01T00:00:00Z'): Promise<void> {
    await t.sql.query(
      `INSERT INTO flow (name, created, updated) SELECT 'n' || lpad(i::text, 3, '0'), $1, $1 FROM generate_series(0, $2 - 1) i`,
      [at, count],
    );
  }

  describe('sort', () => {
    it('NAME_ASC is the default, NAME_DESC reverses it', async () => {
      await seedFlows(3);
      expect(names(await post('filter', {}))).toEqual(['n000', 'n001', 'n002']);
      expect(names(await post('filter', { sort: null }))).toEqual(['n000', 'n001', 'n002']);
      expect(names(await post('filter', { sort: 'NAME_DESC' }))).toEqual(['n002', 'n001', 'n000']);
    });

    it.each(['CREATED_DESC', 'UPDATED_DESC'])('%s orders by time, ties broken by id (descending)', async (sort) => {
      const s = seeder(t.sql);
      const same = '2024-01-01T00:00:00Z';
      await s.flow('old', { created: '2023-01-01T00:00:00Z', updated: '2023-01-01T00:00:00Z' });
      await s.flow('new', { created: '2025-01-01T00:00:00Z', updated: '2025-01-01T00:00:00Z' });
      for (const name of ['t1', 't2', 't3', 't4']) await s.flow(name, { created: same, updated: same });
      const { rows } = await t.sql.query(`SELECT name FROM flow WHERE created = $1 ORDER BY id DESC`, [same]);
      const ties = rows.map((r) => r.name);
      expect(names(await post('filter', { sort }))).toEqual(['new', ...ties, 'old']);
      // Paging through the ties never repeats or skips a row.
      const paged: string[] = [];
      for (let offset = 0; offset < 6; offset += 2)
        paged.push(...names(await post('filter', { sort, limit: 2, offset })));
      expect(paged).toEqual(['new', ...ties, 'old']);
    });

    it('UPDATED_DESC follows updated, not created', async () => {
      const s = seeder(t.sql);
      await s.flow('a', { created: '2024-01-01T00:00:00Z', updated: '2024-06-01T00:00:00Z' });
      await s.flow('b', { created: '2024-02-01T00:00:00Z', updated: '2024-03-01T00:00:00Z' });
      expect(names(await post('filter', { sort: 'UPDATED_DESC' }))).toEqual(['a', 'b']);
      expect(names(await post('filter', { sort: 'CREATED_DESC' }))).toEqual(['b', 'a']);
    });

    it('rejects an unknown sort with 422 enum', async () => {
      const res = await post('filter', { sort: 'name_asc' });
      expect(res.status).toBe(422);
      expect(locs(res)).toEqual([['enum', ['body', 'sort']]]);
    });
  });

  describe('POST /api/flows/filter', () => {
    it('returns Flow objects in Prefect key order with 200', async () => {
      await seeder(t.sql).flow('one', { tags: ['x'], labels: { a: 1 } });
      const res = await post('filter', {});
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      expect(Object.keys(res.body[0])).toEqual(['id', 'created', 'updated', 'name', 'tags', 'labels']);
      expect(res.body[0]).toMatchObject({ name: 'one', tags: ['x'], labels: { a: 1 } });
    });

    it('applies limit and offset; limit 0 returns []', async () => {
      await seedFlows(5);
      expect(names(await post('filter', { limit: 2, offset: 1 }))).toEqual(['n001', 'n002']);
      expect(names(await post('filter', { limit: 0 }))).toEqual([]);
      expect(names(await post('filter', { offset: 10 }))).toEqual([]);
      expect(names(await post('filter', { limit: '2', offset: '3' }))).toEqual(['n003', 'n004']);
    });

    it('defaults limit to the configured maximum (200)', async () => {
      await seedFlows(205);
      expect((await post('filter', {})).body).toHaveLength(200);
      expect((await post('filter', { limit: null, offset: null })).body).toHaveLength(200);
      expect((await post('filter', { limit: 200 })).body).toHaveLength(200);
    });

    it.each([
      [{ limit: -1 }, 'Invalid limit: must be greater than or equal to 0.'],
      [{ limit: 201 }, 'Invalid limit: must be less than or equal to 200.'],
      [{ limit: '999' }, 'Invalid limit: must be less than or equal to 200.'],
      [{ limit: 999, offset: -1 }, 'Invalid limit: must be less than or equal to 200.'],
      [{ limit: -5, flows: { bogus: 1 }, sort: 'nope' }, 'Invalid limit: must be greater than or equal to 0.'],
    ])('limit out of range %j answers 422-L before other validation', async (body, detail) => {
      const res = await post('filter', body);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ detail });
    });

    it('a limit that is not an integer is 422-V', async () => {
      const res = await post('filter', { limit: 5.5 });
      expect(res.status).toBe(422);
      expect(locs(res)).toEqual([['int_from_float', ['body', 'limit']]]);
      expect(locs(await post('filter', { limit: 'abc' }))).toEqual([['int_parsing', ['body', 'limit']]]);
    });

    it('offset below 0 is 422-V greater_than_equal', async () => {
      const res = await post('filter', { offset: -1 });
      expect(res.status).toBe(422);
      expect(res.body.exception_detail).toEqual([
        expect.objectContaining({ type: 'greater_than_equal', loc: ['body', 'offset'], input: -1, ctx: { ge: 0 } }),
      ]);
      expect(res.body.request_body).toEqual({ offset: -1 });
    });

    it('ignores unknown top-level keys; a missing, empty or null body means defaults', async () => {
      await seedFlows(2);
      expect(names(await post('filter', { bogus: 1, page: 'x', flows: { name: { any_: ['n001'] } } }))).toEqual([
        'n001',
      ]);
      expect((await post('filter')).body).toHaveLength(2);
      const nullBody = await t.http.post('/api/flows/filter').set('Content-Type', 'application/json').send('null');
      expect(nullBody.status).toBe(200);
      expect(nullBody.body).toHaveLength(2);
    });

    it('a body that is not an object gives one missing error per field', async () => {
      for (const body of [[1], '"text"', '5']) {
        const res = await t.http
          .post('/api/flows/filter')
          .set('Content-Type', 'application/json')
          .send(typeof body === 'string' ? body : JSON.stringify(body));
        expect(res.status).toBe(422);
        expect(locs(res)).toEqual(
          ['limit', 'offset', 'flows', 'flow_runs', 'task_runs', 'deployments', 'work_pools', 'sort'].map((f) => [
            'missing',
            ['body', f],
          ]),
        );
      }
    });

    it('rejects unknown keys at every depth with the full loc', async () => {
      const cases: [object, (string | number)[]][] = [
        [{ flows: { bogus: 1 } }, ['body', 'flows', 'bogus']],
        [{ flows: { name: { bogus: 1 } } }, ['body', 'flows', 'name', 'bogus']],
        [{ flows: { tags: { any_: ['x'] } } }, ['body', 'flows', 'tags', 'any_']],
        [{ flow_runs: { state: { type: { bogus: [] } } } }, ['body', 'flow_runs', 'state', 'type', 'bogus']],
        [
          { task_runs: { state: { type: { not_any_: ['RUNNING'] } } } },
          ['body', 'task_runs', 'state', 'type', 'not_any_'],
        ],
        [{ task_runs: { id: { not_any_: [] } } }, ['body', 'task_runs', 'id', 'not_any_']],
        [{ deployments: { concurrency_limit: { eq_: 1 } } }, ['body', 'deployments', 'concurrency_limit', 'eq_']],
        [{ work_pools: { name: { like_: 'x' } } }, ['body', 'work_pools', 'name', 'like_']],
      ];
      for (const [body, loc] of cases) {
        const res = await post('filter', body);
        expect(res.status).toBe(422);
        expect(locs(res)).toEqual([['extra_forbidden', loc]]);
      }
    });

    it('validates filter values with pydantic error types and locs', async () => {
      const cases: [object, string, (string | number)[]][] = [
        [{ flows: { operator: 'xor' } }, 'enum', ['body', 'flows', 'operator']],
        [{ flows: { id: { any_: ['not-a-uuid'] } } }, 'uuid_parsing', ['body', 'flows', 'id', 'any_', 0]],
        [{ flows: { name: { any_: 'alpha' } } }, 'list_type', ['body', 'flows', 'name', 'any_']],
        [{ flows: { name: { any_: [1] } } }, 'string_type', ['body', 'flows', 'name', 'any_', 0]],
        [{ flows: { name: { like_: 5 } } }, 'string_type', ['body', 'flows', 'name', 'like_']],
        [{ flows: { tags: { is_null_: 'maybe' } } }, 'bool_parsing', ['body', 'flows', 'tags', 'is_null_']],
        [{ flows: { name: [] } }, 'model_attributes_type', ['body', 'flows', 'name']],
        [{ flows: 'x' }, 'model_attributes_type', ['body', 'flows']],
        [
          { flow_runs: { state: { type: { any_: ['running'] } } } },
          'enum',
          ['body', 'flow_runs', 'state', 'type', 'any_', 0],
        ],
        [
          { flow_runs: { start_time: { before_: 'yesterday' } } },
          'datetime_from_date_parsing',
          ['body', 'flow_runs', 'start_time', 'before_'],
        ],
        [
          { deployments: { concurrency_limit: { ge_: 1.5 } } },
          'int_from_float',
          ['body', 'deployments', 'concurrency_limit', 'ge_'],
        ],
      ];
      for (const [body, type, loc] of cases) {
        const res = await post('filter', body);
        expect(res.status).toBe(422);
        expect(locs(res)).toEqual([[type, loc]]);
      }
    });

    it('coerces lax values (bool strings, uuid forms) and never 5xx on NUL in a filter string', async () => {
      const id = await seeder(t.sql).flow('x', { tags: ['t'] });
      expect(
        names(await post('filter', { flows: { tags: { is_null_: 'no' }, id: { any_: [`{${id.toUpperCase()}}`] } } })),
      ).toEqual(['x']);
      for (const form of [id.replace(/-/g, '').toUpperCase(), `urn:uuid:${id}`]) {
        expect(names(await post('filter', { flows: { id: { any_: [form] } } }))).toEqual(['x']);
      }
      // Only the uuid crate's forms: no padding, no braces around 32 digits, a lower-case urn prefix, all or no hyphens.
      for (const form of [` ${id}`, `{${id.replace(/-/g, '')}}`, `URN:UUID:${id}`, id.replace('-', '')]) {
        const res = await post('filter', { flows: { id: { any_: [form] } } });
        expect([res.status, res.body.exception_detail?.[0]?.type]).toEqual([422, 'uuid_parsing']);
      }
      expect((await post('filter', { flows: { tags: { is_null_: ' true ' } } })).status).toBe(422);
      expect((await post('filter', { offset: '1_0' })).status).toBe(200);
      expect((await post('filter', { offset: '5.' })).status).toBe(422);
      const nul = await post('filter', { flows: { name: { like_: 'a\u0000b' } } });
      expect([200, 422]).toContain(nul.status);
    });
  });

  describe('POST /api/flows/count', () => {
    it('answers a bare JSON integer and ignores limit, offset and sort', async () => {
      await seedFlows(3);
      const res = await post('count', { limit: 999, offset: -1, sort: 'nope' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).toBe('3');
      expect((await post('count', { flows: { name: { any_: ['n000', 'n002'] } } })).body).toBe(2);
      expect((await post('count')).body).toBe(3);
    });

    it('counts more than the default limit', async () => {
      await seedFlows(205);
      expect((await post('count', {})).body).toBe(205);
    });

    describe('without a filter (the trigger-kept flow_count)', () => {
      const scanned = async () => Number((await t.sql.query('SELECT count(*) AS n FROM flow')).rows[0].n);
      const unfiltered = async () => (await post('count', {})).body as number;

      it('reads the kept count, not a scan of the table', async () => {
        await seedFlows(4);
        await t.sql.query('UPDATE flow_count SET n = n + 1000 WHERE slot = 0');
        try {
          expect(await unfiltered()).toBe(1004);
          // A filter that matches every flow still scans.
          expect((await post('count', { flows: { name: { like_: 'n' } } })).body).toBe(4);
        } finally {
          await t.sql.query('UPDATE flow_count SET n = n - 1000 WHERE slot = 0');
        }
      });

      it('stays exact through creates, existing names, deletes, bulk deletes, rollbacks and concurrent writers', async () => {
        await seedFlows(10);
        expect(await unfiltered()).toBe(10);
        const created = await Promise.all(
          Array.from({ length: 30 }, (_, i) => t.http.post('/api/flows/').send({ name: `c${i % 20}` })),
        );
        expect(created.filter((r) => r.status === 201)).toHaveLength(20);
        expect(await unfiltered()).toBe(30);
        await t.sql.query('BEGIN');
        await t.sql.query(`INSERT INTO flow (name) VALUES ('rolled-back')`);
        await t.sql.query('ROLLBACK');
        await Promise.all([
          t.http.delete(`/api/flows/${created[0].body.id}`).expect(204),
          post('bulk_delete', { flows: { name: { like_: 'n00' } }, limit: 5 }).expect(200),
          ...Array.from({ length: 5 }, (_, i) =>
            t.http
              .post('/api/flows/')
              .send({ name: `d${i}` })
              .expect(201),
          ),
        ]);
        expect(await unfiltered()).toBe(await scanned());
        expect(await unfiltered()).toBe(29);
        await t.truncate();
        expect(await unfiltered()).toBe(0);
        expect((await post('paginate', {})).body).toMatchObject({ count: 0, pages: 0 });
      });
    });

    it('a non-object body gives missing for its five fields', async () => {
      const res = await post('count', [1]);
      expect(res.status).toBe(422);
      expect(locs(res)).toEqual(
        ['flows', 'flow_runs', 'task_runs', 'deployments', 'work_pools'].map((f) => ['missing', ['body', f]]),
      );
    });
  });

  describe('POST /api/flows/paginate', () => {
    it('limit 0: no results, pages 0', async () => {
      await seedFlows(2);
      const res = await post('paginate', { limit: 0 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ results: [], count: 2, limit: 0, pages: 0, page: 1 });
    });

    it('second page of one returns the second flow by name', async () => {
      await seedFlows(2);
      const res = await post('paginate', { limit: 1, page: 2 });
      expect(res.body).toMatchObject({ count: 2, limit: 1, pages: 2, page: 2 });
      expect(names({ body: res.body.results })).toEqual(['n001']);
    });

    it('pages = ceil(count / limit); a page past the end is empty but keeps the totals', async () => {
      await seedFlows(5);
      const res = await post('paginate', { limit: 2, page: 3 });
      expect(res.body).toMatchObject({ count: 5, limit: 2, pages: 3, page: 3 });
      expect(names({ body: res.body.results })).toEqual(['n004']);
      const past = await post('paginate', { limit: 2, page: 9 });
      expect(past.body).toEqual({ results: [], count: 5, limit: 2, pages: 3, page: 9 });
    });

    it('defaults: limit from configuration, page 1, filters and sort applied', async () => {
      await seedFlows(3);
      const res = await post('paginate', { sort: 'NAME_DESC', flows: { name: { like_: 'n00' } }, bogus: true });
      expect(res.body).toMatchObject({ count: 3, limit: 200, pages: 1, page: 1 });
      expect(names({ body: res.body.results })).toEqual(['n002', 'n001', 'n000']);
      expect((await post('paginate', { page: null, limit: null })).body).toMatchObject({ limit: 200, page: 1 });
    });

    it('page below 1 is 422-V; an out-of-range limit is 422-L first', async () => {
      const res = await post('paginate', { page: 0 });
      expect(res.status).toBe(422);
      expect(locs(res)).toEqual([['greater_than_equal', ['body', 'page']]]);
      const limit = await post('paginate', { limit: 201, page: 0 });
      expect(limit.status).toBe(422);
      expect(limit.body).toEqual({ detail: 'Invalid limit: must be less than or equal to 200.' });
    });
  });

  describe('POST /api/flows/bulk_delete', () => {
    it('an empty body deletes the first 50 flows by name and returns their ids', async () => {
      await seedFlows(52);
      const { rows } = await t.sql.query(`SELECT id FROM flow ORDER BY name LIMIT 50`);
      const res = await post('bulk_delete', {});
      expect(res.status).toBe(200);
      expect([...res.body.deleted].sort()).toEqual(rows.map((r) => r.id).sort());
      const left = await t.sql.query(`SELECT name FROM flow ORDER BY name`);
      expect(left.rows.map((r) => r.name)).toEqual(['n050', 'n051']);
    });

    it('deletes only flows matching the flow filter, up to limit, with their deployments and runs', async () => {
      const s = seeder(t.sql);
      const a = await s.flow('a-1', { tags: ['doomed'] });
      const b = await s.flow('a-2', { tags: ['doomed'] });
      await s.flow('a-3', { tags: ['doomed'] });
      const keep = await s.flow('keep');
      await s.deployment(a);
      await s.deployment(b);
      await s.deployment(keep);
      const run = await s.flowRun(a);
      await s.taskRun(run);
      const res = await post('bulk_delete', { flows: { tags: { all_: ['doomed'] } }, limit: 2 });
      expect(res.status).toBe(200);
      expect([...res.body.deleted].sort()).toEqual([a, b].sort());
      const count = async (table: string) => Number((await t.sql.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
      expect((await t.sql.query(`SELECT name FROM flow ORDER BY name`)).rows.map((r) => r.name)).toEqual([
        'a-3',
        'keep',
      ]);
      expect((await t.sql.query(`SELECT flow_id FROM deployment`)).rows).toEqual([{ flow_id: keep }]);
      expect(await count('flow_run')).toBe(0);
      expect(await count('task_run')).toBe(0);
    });

    it('returns {"deleted": []} when nothing matches; other filter groups are ignored', async () => {
      await seedFlows(2);
      expect((await post('bulk_delete', { flows: { name: { any_: ['zzz'] } } })).body).toEqual({ deleted: [] });
      const res = await post('bulk_delete', { flow_runs: { id: { any_: [] } }, deployments: {}, limit: null });
      expect(res.body.deleted).toHaveLength(2);
    });

    it.each([
      [0, 'greater_than_equal'],
      [51, 'less_than_equal'],
      [-1, 'greater_than_equal'],
    ])('limit %p is 422-V %s (not 422-L) and deletes nothing', async (limit, type) => {
      await seedFlows(1);
      const res = await post('bulk_delete', { limit });
      expect(res.status).toBe(422);
      expect(locs(res)).toEqual([[type, ['body', 'limit']]]);
      expect((await post('count', {})).body).toBe(1);
    });

    it('validates the flow filter (unknown keys at depth) and deletes nothing', async () => {
      await seedFlows(1);
      const res = await post('bulk_delete', { flows: { name: { bogus: 1 } } });
      expect(res.status).toBe(422);
      expect(locs(res)).toEqual([['extra_forbidden', ['body', 'flows', 'name', 'bogus']]]);
      expect((await post('count', {})).body).toBe(1);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded'])(
      'a %s body answers 4xx and deletes nothing',
      async (type) => {
        await seedFlows(3);
        const res = await t.http
          .post('/api/flows/bulk_delete')
          .set('Content-Type', type)
          .send('{"flows":{"name":{"any_":["n000"]}}}');
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(Number((await t.sql.query('SELECT count(*) FROM flow')).rows[0].count)).toBe(3);
      },
    );
  });

  describe('FlowsService.delete_flows', () => {
    it('returns [] for an empty list and for unknown ids', async () => {
      const orm = t.app.get(MikroORM);
      const service = t.app.get(FlowsService);
      await RequestContext.create(orm.em, async () => {
        expect(await service.delete_flows([])).toEqual([]);
        expect(await service.delete_flows([randomUUID()])).toEqual([]);
      });
    });
  });
});

describe('flow query endpoints with a configured default limit', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp({ defaultLimit: 3 });
    await t.truncate();
    await t.sql.query(`INSERT INTO flow (name) SELECT 'f' || i FROM generate_series(1, 5) i`);
  });
  afterAll(() => t.close());

  it('uses it as the default and the maximum of filter and paginate', async () => {
    expect((await t.http.post('/api/flows/filter').send({})).body).toHaveLength(3);
    const over = await t.http.post('/api/flows/filter').send({ limit: 4 });
    expect(over.status).toBe(422);
    expect(over.body).toEqual({ detail: 'Invalid limit: must be less than or equal to 3.' });
    expect((await t.http.post('/api/flows/paginate').send({})).body).toMatchObject({
      count: 5,
      limit: 3,
      pages: 2,
      page: 1,
    });
    expect((await t.http.post('/api/flows/paginate').send({ limit: 4 })).status).toBe(422);
  });
});
