/**
 * Hostile input on the filter routes (compat A5-A7, F1-F11, G1): generated filter bodies never get a 5xx, and for valid
 * filters `count` equals the number of flows `filter` returns when paging through all pages.
 * Needs POST /api/flows/filter, /count and /paginate (built on the filters branch): fails until that merge.
 */
import fc from 'fast-check';
import { startTestApp, TestContext } from '../support/test-app';
import { expectClientError, hostileJson, hostileString, propertyParameters, sendJson } from '../support/properties';

jest.setTimeout(60_000);

const TAGS = ['a', 'b', 'c', 'd'];
const STATE_TYPES = [
  'SCHEDULED',
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'CRASHED',
  'PAUSED',
  'CANCELLING',
];
const SORTS = ['NAME_ASC', 'NAME_DESC', 'CREATED_DESC', 'UPDATED_DESC'];
const PAGE = 7;

interface Seeded {
  flowIds: string[];
  flowNames: string[];
  runIds: string[];
  deploymentNames: string[];
}

/**
 * 40 flows with distinct created/updated times (so every sort pages deterministically) and tags from TAGS;
 * deployments on two work pools, flow runs in every state, task runs on some runs.
 */
async function seed(t: TestContext): Promise<Seeded> {
  const flows = await t.sql.query<{ id: string; name: string }>(
    `INSERT INTO flow (name, tags, created, updated)
     SELECT format('%s-flow-%s', (ARRAY['etl','ml','Report','x_y'])[1 + i % 4], i),
            (SELECT coalesce(jsonb_agg(t), '[]') FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) WHERE (i >> (n::int - 1)) & 1 = 1),
            now() - make_interval(secs => i), now() - make_interval(secs => 100 - i)
     FROM generate_series(1, 40) AS i RETURNING id, name`,
    [TAGS],
  );
  await t.sql.query(`
    WITH pools AS (
      INSERT INTO work_pool (name, type) VALUES ('pool-proc', 'process'), ('pool-dock', 'docker') RETURNING id, name
    ), queues AS (
      INSERT INTO work_queue (name, priority, work_pool_id) SELECT 'q-' || name, 1, id FROM pools RETURNING id, name
    )
    INSERT INTO deployment (name, flow_id, work_queue_id, work_queue_name, paused, tags)
    SELECT 'dep-' || f.n, f.id, q.id, q.name, f.n % 2 = 0, f.tags
    FROM (SELECT id, tags, row_number() OVER (ORDER BY name) AS n FROM flow) f
    JOIN LATERAL (SELECT id, name FROM queues ORDER BY name OFFSET (f.n % 2) LIMIT 1) q ON true
    WHERE f.n % 3 = 0`);
  const runs = await t.sql.query<{ id: string }>(
    `INSERT INTO flow_run (name, flow_id, state_type, state_name, tags, start_time, expected_start_time)
     SELECT 'run-' || f.n, f.id, st::state_type, initcap(lower(st)), f.tags,
            CASE WHEN f.n % 2 = 0 THEN now() - make_interval(mins => f.n::int) END, now() - make_interval(mins => f.n::int)
     FROM (SELECT id, tags, row_number() OVER (ORDER BY name) AS n FROM flow) f,
          LATERAL (SELECT ($1::text[])[1 + f.n % 9] AS st) s
     WHERE f.n % 4 <> 0 RETURNING id`,
    [STATE_TYPES],
  );
  await t.sql.query(
    `INSERT INTO task_run (name, flow_run_id, task_key, dynamic_key, state_type, state_name)
     SELECT 'task-' || r.name, r.id, 'k', '0', r.state_type, r.state_name FROM flow_run r WHERE r.name LIKE '%1%'`,
  );
  const deployments = await t.sql.query<{ name: string }>('SELECT name FROM deployment');
  return {
    flowIds: flows.rows.map((r) => r.id),
    flowNames: flows.rows.map((r) => r.name),
    runIds: runs.rows.map((r) => r.id),
    deploymentNames: deployments.rows.map((r) => r.name),
  };
}

/** Optional keys only: an absent key is a filter that was not sent. */
const some = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => fc.record(fields, { requiredKeys: [] });
const operator = fc.constantFrom('and_', 'or_');
const optBool = fc.option(fc.boolean(), { nil: null });
const likeText = fc.constantFrom('', 'flow', '1', 'ETL', '%', '_', 'x_y', '%-%', '\\');
const timestamp = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Valid filter bodies (compat F1-F11, G1-G2): every group, operator and list shape, drawn against the seeded rows. */
function validFilters(s: Seeded) {
  const uuidList = (ids: string[]) => fc.subarray(ids, { maxLength: 5 });
  const tagList = fc.subarray(TAGS);
  const flows = some({
    operator,
    id: some({ any_: uuidList(s.flowIds), not_any_: uuidList(s.flowIds) }),
    name: some({ any_: fc.subarray(s.flowNames, { maxLength: 4 }), like_: likeText }),
    tags: some({ operator, all_: tagList, is_null_: optBool }),
    deployment: some({ operator, is_null_: optBool }),
  });
  const flowRuns = some({
    operator,
    id: some({ any_: uuidList(s.runIds), not_any_: uuidList(s.runIds) }),
    name: some({ any_: fc.subarray(['run-1', 'run-2', 'run-3']), like_: likeText }),
    tags: some({ operator, all_: tagList, any_: tagList, is_null_: optBool }),
    state: some({
      operator,
      type: some({ any_: fc.subarray(STATE_TYPES), not_any_: fc.subarray(STATE_TYPES) }),
      name: some({ any_: fc.subarray(['Running', 'Completed', 'Failed']), not_any_: fc.subarray(['Scheduled']) }),
    }),
    start_time: some({ before_: timestamp, after_: timestamp, is_null_: optBool }),
    expected_start_time: some({ before_: timestamp, after_: timestamp }),
  });
  const taskRuns = some({
    operator,
    name: some({ any_: fc.subarray(['task-run-1', 'task-run-10']), like_: likeText }),
    state: some({ operator, type: some({ any_: fc.subarray(STATE_TYPES) }) }),
    subflow_runs: some({ exists_: optBool }),
  });
  const deployments = some({
    operator,
    name: some({ any_: fc.subarray(s.deploymentNames, { maxLength: 4 }), like_: likeText }),
    flow_or_deployment_name: some({ like_: likeText }),
    paused: some({ eq_: optBool }),
    tags: some({ operator, all_: tagList, any_: tagList, is_null_: optBool }),
    work_queue_name: some({ any_: fc.subarray(['q-pool-proc', 'q-pool-dock']) }),
  });
  const workPools = some({
    operator,
    name: some({ any_: fc.subarray(['pool-proc', 'pool-dock']) }),
    type: some({ any_: fc.subarray(['process', 'docker', 'k8s']) }),
  });
  const groups = { flows, flow_runs: flowRuns, task_runs: taskRuns, deployments, work_pools: workPools };
  // At most two groups at a time: more are ANDed into empty results, which would test little.
  return fc
    .tuple(
      fc.subarray(Object.keys(groups), { maxLength: 2 }),
      fc.record(groups),
      some({ sort: fc.constantFrom(...SORTS) }),
    )
    .map(([chosen, all, rest]) => ({
      ...rest,
      ...Object.fromEntries(chosen.map((g) => [g, all[g as keyof typeof groups]])),
    }));
}

/** Replaces one node of a body (at any depth) with hostile JSON: wrong types, unknown keys, NUL, huge strings. */
function corrupt(body: Record<string, unknown>, path: number[], junk: unknown, key: string): unknown {
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return junk;
    const keys = Object.keys(node);
    if (keys.length === 0 || depth >= path.length) return { ...node, [key]: junk };
    const k = keys[path[depth] % keys.length];
    return { ...node, [k]: walk((node as Record<string, unknown>)[k], depth + 1) };
  };
  return walk(body, 0);
}

describe('hostile input on filter routes', () => {
  let t: TestContext;
  let seeded: Seeded;
  beforeAll(async () => {
    // 50,000 names are above the default 1 MiB body limit (413); a larger limit shows lists have no cap of their own.
    t = await startTestApp({ bodyLimitBytes: 8 * 1024 ** 2 });
    await t.truncate();
    seeded = await seed(t);
  });
  afterAll(() => t.close());

  const post = (route: string, body: unknown) => sendJson(t.http.post(`/api/flows/${route}`), body);

  it('property: count equals the number of flows filter returns, paging through all pages', async () => {
    const counts = new Set<number>();
    await fc.assert(
      fc.asyncProperty(validFilters(seeded), async (filters) => {
        const count = await post('count', filters);
        expect(count.status).toBe(200);
        expect(typeof count.body).toBe('number');
        counts.add(count.body);
        const seen: string[] = [];
        for (let offset = 0; ; offset += PAGE) {
          const page = await post('filter', { ...filters, limit: PAGE, offset });
          expect(page.status).toBe(200);
          seen.push(...page.body.map((f: { id: string }) => f.id));
          if (page.body.length < PAGE) break;
        }
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBe(count.body);
        const paginated = await post('paginate', { ...filters, limit: PAGE, page: 1 });
        expect(paginated.body).toMatchObject({ count: count.body, pages: Math.ceil(count.body / PAGE) });
      }),
      propertyParameters(100),
    );
    // The generated filters really discriminate (not all 0, not all 40).
    expect(counts.size).toBeGreaterThan(5);
  });

  it('property: corrupted and arbitrary filter bodies get 200 or a well-formed 4xx on filter, count and paginate', async () => {
    const body = fc.oneof(
      {
        arbitrary: fc
          .tuple(validFilters(seeded), fc.array(fc.nat(), { maxLength: 6 }), hostileJson, hostileString)
          .map(([b, p, j, k]) => corrupt(b, p, j, k)),
        weight: 4,
      },
      { arbitrary: hostileJson, weight: 1 },
      { arbitrary: some({ limit: hostileJson, offset: hostileJson, page: hostileJson, sort: hostileJson }), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('filter', 'count', 'paginate'), async (b, route) => {
        const res = await post(route, b);
        if (res.status !== 200) expectClientError(res);
      }),
      propertyParameters(),
    );
  });

  describe('fixed cases', () => {
    const ids = (n: number) =>
      Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);

    /** About 1 MiB of JSON, the default BODY_LIMIT: the longest list a default server is sent. */
    const ONE_MIB_OF_IDS = Math.floor(1024 ** 2 / 39);

    it.each([
      ['flows.id.any_', (list: string[]) => ({ flows: { id: { any_: list } } }), (): number => 1],
      [
        'flows.id.not_any_',
        (list: string[]) => ({ flows: { id: { not_any_: list } } }),
        (total: number): number => total - 1,
      ],
      ['flow_runs.id.any_', (list: string[]) => ({ flow_runs: { id: { any_: list } } }), (): number => 0],
    ])(
      '%s: any list that fits BODY_LIMIT is a valid request (no item cap Prefect lacks), one bind parameter',
      async (_what, build, expected) => {
        const total = (await post('count', {})).body as number;
        for (const n of [10_001, 20_000, ONE_MIB_OF_IDS]) {
          const list = [...ids(n - 1), seeded.flowIds[0]];
          const count = await post('count', build(list));
          expect([count.status, count.body]).toEqual([200, expected(total)]);
          const page = await post('filter', { ...build(list), limit: 1 });
          expect(page.status).toBe(200);
        }
      },
    );

    it('tens of thousands of names in name.any_ are served', async () => {
      const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`);
      const res = await post('count', { flows: { name: { any_: [...names(50_000), seeded.flowNames[0]] } } });
      expect([res.status, res.body]).toEqual([200, 1]);
    });

    it('duplicates in a list cost one item: 20,000 copies of a tag in tags.all_ (and of an id) answer at once', async () => {
      const tagged = (await post('count', { flows: { tags: { all_: ['a'] } } })).body as number;
      let started = Date.now();
      const tags = await post('count', { flows: { tags: { all_: Array(20_000).fill('a') } } });
      const tagsMs = Date.now() - started;
      expect([tags.status, tags.body]).toEqual([200, tagged]);
      started = Date.now();
      const idsRes = await post('count', { flows: { id: { any_: Array(20_000).fill(seeded.flowIds[0]) } } });
      const idsMs = Date.now() - started;
      expect([idsRes.status, idsRes.body]).toEqual([200, 1]);
      // Undeduplicated, 10,000 copies in tags.all_ took seconds of database CPU.
      expect(tagsMs).toBeLessThan(1500);
      expect(idsMs).toBeLessThan(1500);
    });

    it('long tag lists (matched per row, compat V6) mean what short ones mean', async () => {
      const unknownTags = Array.from({ length: 100 }, (_, i) => `no-such-tag-${i}`);
      const count = async (body: unknown) => {
        const res = await post('count', body);
        expect(res.status).toBe(200);
        return res.body as number;
      };
      // A flow with more tags than the short path takes: the long path must find it, and only it.
      const many = Array.from({ length: 70 }, (_, i) => `many-${i}`);
      const flow = await sendJson(t.http.post('/api/flows/'), { name: 'many-tags', tags: many });
      expect(flow.status).toBe(201);
      try {
        expect(await count({ flows: { tags: { all_: many } } })).toBe(1);
        expect(await count({ flows: { tags: { all_: [...many, 'a'] } } })).toBe(0);
      } finally {
        await t.http.delete(`/api/flows/${flow.body.id}`);
      }
      for (const group of ['flows', 'deployments', 'flow_runs'] as const) {
        const withA = await count({ [group]: { tags: { all_: ['a'] } } });
        const withAB = await count({ [group]: { tags: { all_: ['a', 'b'] } } });
        expect(withA).toBeGreaterThan(0);
        // A long list of the same tags, repeated, is the short list.
        expect(await count({ [group]: { tags: { all_: Array(200).fill(['a', 'b']).flat() } } })).toBe(withAB);
        // One tag nobody has in a long list matches nothing.
        expect(await count({ [group]: { tags: { all_: ['a', ...unknownTags] } } })).toBe(0);
        if (group !== 'flows') {
          const anyA = await count({ [group]: { tags: { any_: ['a'] } } });
          expect(await count({ [group]: { tags: { any_: [...unknownTags, 'a'] } } })).toBe(anyA);
          expect(await count({ [group]: { tags: { any_: unknownTags } } })).toBe(0);
        }
      }
    });

    it('NUL in filter strings: like_ answers 200 (no match) or 422, any_ and tags 422; never a database error', async () => {
      for (const body of [
        { flows: { name: { like_: 'a\u0000b' } } },
        { deployments: { flow_or_deployment_name: { like_: '\u0000' } } },
      ]) {
        const res = await post('filter', body);
        if (res.status === 200) expect(res.body).toEqual([]);
        else expectClientError(res);
      }
      for (const body of [
        { flows: { name: { any_: ['ok', 'a\u0000'] } } },
        { flows: { tags: { all_: ['\u0000'] } } },
        { flow_runs: { name: { any_: ['\u0000'] } } },
      ]) {
        const res = await post('filter', body);
        expect(res.status).toBe(422);
      }
    });

    it('deeply nested and wrong-typed filter bodies: 4xx, never 5xx', async () => {
      let deep: unknown = 'x';
      for (let i = 0; i < 70; i++) deep = { operator: 'and_', name: deep };
      for (const body of [
        { flows: deep },
        { flows: [] },
        { flows: 'x' },
        { flows: { id: { any_: 'not-a-list' } } },
        [1, 2],
        'text',
        42,
      ]) {
        for (const route of ['filter', 'count', 'paginate']) expectClientError(await post(route, body));
      }
    });

    it('wrong content types: filter/count 4xx or all-defaults 200, never 5xx', async () => {
      for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
        for (const route of ['filter', 'count', 'paginate']) {
          const res = await t.http
            .post(`/api/flows/${route}`)
            .set('Content-Type', type)
            .send('{"limit":1}')
            .then((r) => r);
          expect(res.status).toBeLessThan(500);
        }
      }
    });
  });
});
