import { startTestApp, TestContext } from '../support/test-app';

/**
 * The listings of the related resources (flow runs, task runs, deployments, work pools, a pool's queues): Prefect's
 * bodies with the shared filter vocabulary, sorts, default and maximum limit, and the routes the CLI reads.
 *
 * Data: flows `etl` and `report`; pools `k8s` (kubernetes; queues default, High-prio, low) and `proc` (process);
 * deployments etl/nightly (k8s, High-prio), etl/hourly (proc) and report/weekly (no pool); flow runs of etl
 * (`etl-a` on nightly, RUNNING, with task runs `extract` COMPLETED and `load` PENDING; `etl-b` scheduled later) and
 * of report (`report-a`, FAILED, with task run `render`).
 */
describe('listings of runs, deployments and work pools', () => {
  let t: TestContext;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ defaultLimit: 5 });
    await t.truncate();
    const post = async (path: string, body: object, expected = 201) =>
      (await t.http.post(path).send(body).expect(expected)).body as { id: string };
    id.etl = (await post('/api/flows/', { name: 'etl' })).id;
    id.report = (await post('/api/flows/', { name: 'report' })).id;
    await post('/api/work_pools/', { name: 'k8s', type: 'kubernetes' });
    await post('/api/work_pools/', { name: 'proc', type: 'process' });
    await post('/api/work_pools/k8s/queues', { name: 'High-prio', priority: 1 });
    await post('/api/work_pools/k8s/queues', { name: 'low' });
    id.nightly = (
      await post('/api/deployments/', {
        name: 'nightly',
        flow_id: id.etl,
        work_pool_name: 'k8s',
        work_queue_name: 'High-prio',
        tags: ['prod'],
      })
    ).id;
    id.hourly = (await post('/api/deployments/', { name: 'hourly', flow_id: id.etl, work_pool_name: 'proc' })).id;
    id.weekly = (await post('/api/deployments/', { name: 'weekly', flow_id: id.report })).id;
    id.etlA = (
      await post('/api/flow_runs/', {
        flow_id: id.etl,
        name: 'etl-a',
        deployment_id: id.nightly,
        work_pool_name: 'k8s',
        work_queue_name: 'High-prio',
        tags: ['nightly'],
        state: { type: 'SCHEDULED', state_details: { scheduled_time: '2026-01-01T00:00:00Z' } },
      })
    ).id;
    await post(`/api/flow_runs/${id.etlA}/set_state`, { state: { type: 'RUNNING' } });
    id.etlB = (
      await post('/api/flow_runs/', {
        flow_id: id.etl,
        name: 'etl-b',
        state: { type: 'SCHEDULED', state_details: { scheduled_time: '2031-01-01T00:00:00Z' } },
      })
    ).id;
    id.reportA = (await post('/api/flow_runs/', { flow_id: id.report, name: 'report-a' })).id;
    await post(`/api/flow_runs/${id.reportA}/set_state`, { state: { type: 'FAILED' } });
    const task = async (flowRunId: string, name: string, type: string) => {
      const run = await post('/api/task_runs/', { flow_run_id: flowRunId, task_key: name, dynamic_key: '0', name });
      await post(`/api/task_runs/${run.id}/set_state`, { state: { type } });
      return run.id;
    };
    id.extract = await task(id.etlA, 'extract', 'COMPLETED');
    id.load = await task(id.etlA, 'load', 'PENDING');
    id.render = await task(id.reportA, 'render', 'COMPLETED');
  });
  afterAll(() => t.close());

  const names = async (path: string, body: object = {}) => {
    const res = await t.http.post(path).send(body);
    expect(res.status).toBe(200);
    return (res.body as { name: string }[]).map((r) => r.name);
  };
  const count = async (path: string, body: object = {}) => {
    const res = await t.http.post(path).send(body);
    expect(res.status).toBe(200);
    return res.body as number;
  };

  describe('POST /api/flow_runs/filter and /count', () => {
    const runs = (body: object) => names('/api/flow_runs/filter', body);
    const countRuns = (body: object) => count('/api/flow_runs/count', body);

    it('sorts by id descending by default, and by each FlowRunSort', async () => {
      const expected = [id.etlA, id.etlB, id.reportA].sort().reverse();
      const res = await t.http.post('/api/flow_runs/filter').send({}).expect(200);
      expect(res.body.map((r: { id: string }) => r.id)).toEqual(expected);
      expect(await runs({ sort: 'NAME_ASC' })).toEqual(['etl-a', 'etl-b', 'report-a']);
      expect(await runs({ sort: 'NAME_DESC' })).toEqual(['report-a', 'etl-b', 'etl-a']);
      expect(await runs({ sort: 'EXPECTED_START_TIME_DESC' })).toEqual(['etl-b', 'report-a', 'etl-a']);
      expect(await runs({ sort: 'EXPECTED_START_TIME_ASC' })).toEqual(['etl-a', 'report-a', 'etl-b']);
      // Never-started runs sort by their expected start; a run without an end time comes first descending.
      expect(await runs({ sort: 'START_TIME_ASC' })).toEqual(['etl-a', 'report-a', 'etl-b']);
      expect((await runs({ sort: 'END_TIME_DESC' })).at(-1)).toBe('report-a');
      expect(await runs({ sort: 'NEXT_SCHEDULED_START_TIME_ASC' })).toEqual(expect.arrayContaining(['etl-b']));
      expect((await runs({ sort: 'NEXT_SCHEDULED_START_TIME_ASC' }))[0]).toBe('etl-b');
    });

    it('applies each of the six filter groups through the shared filters', async () => {
      expect(await runs({ flows: { name: { any_: ['report'] } }, sort: 'NAME_ASC' })).toEqual(['report-a']);
      expect(await runs({ flow_runs: { state: { type: { any_: ['RUNNING', 'FAILED'] } } }, sort: 'NAME_ASC' })).toEqual(
        ['etl-a', 'report-a'],
      );
      expect(await runs({ flow_runs: { tags: { all_: ['nightly'] } } })).toEqual(['etl-a']);
      expect(await runs({ deployments: { tags: { all_: ['prod'] } } })).toEqual(['etl-a']);
      // Presence alone requires the related row: only etl-a has a deployment, a queue and task runs.
      expect(await runs({ deployments: {} })).toEqual(['etl-a']);
      expect(await runs({ work_pools: { type: { any_: ['kubernetes'] } } })).toEqual(['etl-a']);
      expect(await runs({ work_pools: { type: { any_: ['process'] } } })).toEqual([]);
      expect(await runs({ work_pool_queues: { name: { startswith_: ['high'] } } })).toEqual(['etl-a']);
      expect(await runs({ work_pool_queues: { name: { any_: ['low'] } } })).toEqual([]);
      expect(await runs({ task_runs: { name: { any_: ['render'] } } })).toEqual(['report-a']);
      expect(await runs({ task_runs: {}, sort: 'NAME_ASC' })).toEqual(['etl-a', 'report-a']);
      // The task-run condition and the flow filter hold for the same run.
      expect(await runs({ flows: { name: { any_: ['etl'] } }, task_runs: { name: { any_: ['render'] } } })).toEqual([]);
    });

    it('counts what filter lists, ignoring limit, offset and sort', async () => {
      expect(await countRuns({})).toBe(3);
      expect(await countRuns({ flows: { name: { any_: ['etl'] } }, limit: 1, offset: 2, sort: 'bogus' })).toBe(2);
      expect(await countRuns({ work_pools: {}, task_runs: { state: { type: { any_: ['PENDING'] } } } })).toBe(1);
    });

    it('finds subflow runs by parent task run, as the engine does', async () => {
      const child = await t.http
        .post('/api/flow_runs/')
        .send({ flow_id: id.report, name: 'child', parent_task_run_id: id.extract })
        .expect(201);
      try {
        const res = await t.http
          .post('/api/flow_runs/filter')
          .send({
            flow_runs: { parent_task_run_id: { any_: [id.extract] } },
            sort: 'EXPECTED_START_TIME_DESC',
            limit: 1,
          })
          .expect(200);
        expect(res.body.map((r: { id: string }) => r.id)).toEqual([child.body.id]);
        expect(await runs({ flow_runs: { parent_flow_run_id: { any_: [id.etlA] } } })).toEqual(['child']);
        expect(await runs({ flow_runs: { parent_task_run_id: { any_: [id.load] } } })).toEqual([]);
      } finally {
        await t.http.delete(`/api/flow_runs/${child.body.id}`).expect(204);
      }
    });

    it('pages with limit and offset; the configured default is also the maximum (422-L)', async () => {
      expect(await runs({ sort: 'NAME_ASC', limit: 1, offset: 1 })).toEqual(['etl-b']);
      expect(await runs({ sort: 'NAME_ASC', limit: 0 })).toEqual([]);
      const tooMany = await t.http.post('/api/flow_runs/filter').send({ limit: 6, offset: -1 });
      expect(tooMany.status).toBe(422);
      expect(tooMany.body).toEqual({ detail: 'Invalid limit: must be less than or equal to 5.' });
      const negative = await t.http.post('/api/flow_runs/filter').send({ limit: -1 });
      expect(negative.body).toEqual({ detail: 'Invalid limit: must be greater than or equal to 0.' });
    });

    it('answers Prefect-shaped 422s for bad sorts, offsets and filters, for filter and count alike', async () => {
      const sort = await t.http.post('/api/flow_runs/filter').send({ sort: 'name_asc' });
      expect(sort.status).toBe(422);
      expect(sort.body.exception_detail[0]).toMatchObject({ type: 'enum', loc: ['body', 'sort'] });
      const offset = await t.http.post('/api/flow_runs/filter').send({ offset: -1 });
      expect(offset.body.exception_detail[0]).toMatchObject({ type: 'greater_than_equal', loc: ['body', 'offset'] });
      for (const path of ['/api/flow_runs/filter', '/api/flow_runs/count']) {
        const extra = await t.http.post(path).send({ work_pool_queues: { name: { like_: 'x' } } });
        expect(extra.status).toBe(422);
        expect(extra.body.exception_detail[0]).toMatchObject({
          type: 'extra_forbidden',
          loc: ['body', 'work_pool_queues', 'name', 'like_'],
        });
      }
    });

    it('returns runs in the response shape of GET /api/flow_runs/{id}', async () => {
      const [listed] = (
        await t.http
          .post('/api/flow_runs/filter')
          .send({ flow_runs: { id: { any_: [id.etlA] } } })
          .expect(200)
      ).body;
      const read = (await t.http.get(`/api/flow_runs/${id.etlA}`).expect(200)).body;
      expect(Object.keys(listed)).toEqual(Object.keys(read));
      expect({ ...listed, estimated_run_time: 0 }).toEqual({ ...read, estimated_run_time: 0 });
      expect(listed).toMatchObject({ work_pool_name: 'k8s', work_queue_name: 'High-prio', run_count: 1 });
    });
  });

  describe('POST /api/task_runs/filter and /count', () => {
    const tasks = (body: object) => names('/api/task_runs/filter', body);

    it('filters by the task run, its flow run, flow and deployment, with TaskRunSort', async () => {
      expect(await tasks({ sort: 'NAME_ASC' })).toEqual(['extract', 'load', 'render']);
      expect(await tasks({ sort: 'NAME_DESC' })).toEqual(['render', 'load', 'extract']);
      expect(await tasks({ flow_runs: { id: { any_: [id.etlA] } }, sort: 'NAME_ASC' })).toEqual(['extract', 'load']);
      expect(await tasks({ flows: { name: { any_: ['report'] } } })).toEqual(['render']);
      expect(await tasks({ deployments: { name: { any_: ['nightly'] } }, sort: 'NAME_ASC' })).toEqual([
        'extract',
        'load',
      ]);
      expect(
        await tasks({ task_runs: { state: { type: { any_: ['COMPLETED'] } } }, flows: { name: { like_: 'et' } } }),
      ).toEqual(['extract']);
      expect(await tasks({ flow_runs: { state: { type: { any_: ['FAILED'] } } } })).toEqual(['render']);
    });

    it('has no work pool group (Prefect declares none), so such a key is ignored', async () => {
      expect(await count('/api/task_runs/count', { work_pools: { name: { any_: ['nope'] } } })).toBe(3);
      expect(await count('/api/task_runs/count', { flows: { name: { any_: ['etl'] } } })).toBe(2);
    });

    it('pages, and checks the limit', async () => {
      expect(await tasks({ sort: 'NAME_ASC', limit: 2, offset: 1 })).toEqual(['load', 'render']);
      const res = await t.http.post('/api/task_runs/filter').send({ limit: 6 });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ detail: 'Invalid limit: must be less than or equal to 5.' });
    });
  });

  describe('POST /api/deployments/filter and /count, GET /api/deployments/name/{flow}/{deployment}', () => {
    const deployments = (body: object) => names('/api/deployments/filter', body);

    it('sorts by name by default and by DeploymentSort', async () => {
      expect(await deployments({})).toEqual(['hourly', 'nightly', 'weekly']);
      expect(await deployments({ sort: 'NAME_DESC' })).toEqual(['weekly', 'nightly', 'hourly']);
      expect(await deployments({ sort: 'CREATED_DESC' })).toEqual(['weekly', 'hourly', 'nightly']);
    });

    it('applies the flow, run, task-run, pool and queue groups', async () => {
      expect(await deployments({ flows: { name: { any_: ['etl'] } } })).toEqual(['hourly', 'nightly']);
      expect(await deployments({ work_pools: { name: { any_: ['proc'] } } })).toEqual(['hourly']);
      expect(await deployments({ work_pools: {} })).toEqual(['hourly', 'nightly']);
      expect(await deployments({ work_pool_queues: { name: { startswith_: ['HIGH'] } } })).toEqual(['nightly']);
      expect(
        await deployments({
          work_pools: { name: { any_: ['proc'] } },
          work_pool_queues: { name: { any_: ['High-prio'] } },
        }),
      ).toEqual([]);
      expect(await deployments({ flow_runs: {} })).toEqual(['nightly']);
      expect(await deployments({ task_runs: { name: { any_: ['load'] } } })).toEqual(['nightly']);
      expect(await deployments({ deployments: { flow_or_deployment_name: { like_: 'repo' } } })).toEqual(['weekly']);
      expect(await count('/api/deployments/count', { flows: { name: { any_: ['etl'] } } })).toBe(2);
      expect(await count('/api/deployments/count', {})).toBe(3);
    });

    it('pages and checks the limit', async () => {
      expect(await deployments({ limit: 1, offset: 2 })).toEqual(['weekly']);
      const res = await t.http.post('/api/deployments/filter').send({ limit: 9 });
      expect(res.body).toEqual({ detail: 'Invalid limit: must be less than or equal to 5.' });
    });

    it('reads a deployment by flow and deployment name, exactly', async () => {
      const res = await t.http.get('/api/deployments/name/etl/nightly').expect(200);
      expect(res.body).toEqual((await t.http.get(`/api/deployments/${id.nightly}`)).body);
      expect((await t.http.get('/api/deployments/name/report/nightly').expect(404)).body).toEqual({
        detail: 'Deployment not found',
      });
      expect((await t.http.get('/api/deployments/name/ETL/nightly').expect(404)).body).toEqual({
        detail: 'Deployment not found',
      });
      // An encoded slash separates segments, as in Starlette: three names are no route.
      expect((await t.http.get('/api/deployments/name/etl%2Fx/nightly').expect(404)).body).toEqual({
        detail: 'Not Found',
      });
      expect((await t.http.get('/api/deployments/name/etl/%00').expect(404)).body).toEqual({
        detail: 'Deployment not found',
      });
    });

    it('answers deployment inspect: no automations are related to any resource', async () => {
      const res = await t.http.get(`/api/automations/related-to/prefect.deployment.${id.nightly}`).expect(200);
      expect(res.body).toEqual([]);
    });
  });

  describe('POST /api/work_pools/filter and /count, POST /api/work_pools/{name}/queues/filter', () => {
    it('routes POST filter and count to the listings, not to a pool named "filter"', async () => {
      const res = await t.http.post('/api/work_pools/filter').send({});
      expect(res.status).toBe(200);
      expect(res.body.map((p: { name: string }) => p.name)).toEqual(['k8s', 'proc']);
      expect(await count('/api/work_pools/count')).toBe(2);
      // GET still reads a pool by name, and there is none called "filter".
      expect((await t.http.get('/api/work_pools/filter').expect(404)).body).toEqual({
        detail: 'Work pool "filter" not found.',
      });
      expect((await t.http.post('/api/work_pools/filter/').send({})).status).toBe(307);
    });

    it('filters pools with WorkPoolFilter, pages in name order and checks the limit', async () => {
      expect(
        await names('/api/work_pools/filter', { work_pools: { type: { any_: ['process', 'kubernetes'] } } }),
      ).toEqual(['k8s', 'proc']);
      expect(await names('/api/work_pools/filter', { limit: 1, offset: 1 })).toEqual(['proc']);
      expect(await count('/api/work_pools/count', { work_pools: { name: { any_: ['k8s', 'nope'] } } })).toBe(1);
      const res = await t.http.post('/api/work_pools/filter').send({ limit: 6 });
      expect(res.body).toEqual({ detail: 'Invalid limit: must be less than or equal to 5.' });
      const extra = await t.http.post('/api/work_pools/count').send({ work_pools: { type: { like_: 'k' } } });
      expect(extra.status).toBe(422);
      expect(extra.body.exception_detail[0]).toMatchObject({ type: 'extra_forbidden' });
    });

    it("lists a pool's queues by priority, filtered by WorkQueueFilter; 404 for an unknown pool", async () => {
      const queues = (body: object) => names('/api/work_pools/k8s/queues/filter', body);
      expect(await queues({})).toEqual(['High-prio', 'default', 'low']);
      expect(await queues({ work_queues: { name: { startswith_: ['hi', 'LO'] } } })).toEqual(['High-prio', 'low']);
      expect(await queues({ work_queues: { name: { startswith_: [] } } })).toEqual(['High-prio', 'default', 'low']);
      expect(await queues({ work_queues: { operator: 'or_', name: { any_: ['default'] }, id: { any_: [] } } })).toEqual(
        ['default'],
      );
      expect(await queues({ limit: 1, offset: 2 })).toEqual(['low']);
      const missing = await t.http.post('/api/work_pools/nope/queues/filter').send({});
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ detail: 'Work pool "nope" not found.' });
    });
  });
});
