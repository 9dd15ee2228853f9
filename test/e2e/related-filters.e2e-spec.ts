import { startTestApp, TestContext } from '../support/test-app';

/**
 * The flows filter reaching into related tables (compat G1), with every related row made
 * over the REST routes of section 7. Needs POST /api/flows/filter and /api/flows/count.
 */
describe('flow filters over data created through the related routes', () => {
  let t: TestContext;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    await t.truncate();
    const flow = async (name: string) => (ids[name] = (await t.http.post('/api/flows/').send({ name })).body.id);
    await flow('with-deployment');
    await flow('with-runs');
    await flow('bare');

    await t.http.post('/api/work_pools/').send({ name: 'k8s-pool', type: 'kubernetes' });
    await t.http.post('/api/deployments/').send({
      name: 'nightly',
      flow_id: ids['with-deployment'],
      tags: ['prod'],
      work_pool_name: 'k8s-pool',
      work_queue_name: 'high',
    });

    const run = await t.http.post('/api/flow_runs/').send({
      flow_id: ids['with-runs'],
      name: 'run-one',
      tags: ['etl'],
      state: { type: 'SCHEDULED', state_details: { scheduled_time: '2030-01-01T00:00:00Z' } },
    });
    // Forced: the run is scheduled in the future, so unforced it would be told to wait.
    await t.http.post(`/api/flow_runs/${run.body.id}/set_state`).send({ state: { type: 'RUNNING' }, force: true });
    const task = await t.http
      .post('/api/task_runs/')
      .send({ flow_run_id: run.body.id, task_key: 'extract', dynamic_key: '0', name: 'extract-0' });
    await t.http.post(`/api/task_runs/${task.body.id}/set_state`).send({ state: { type: 'COMPLETED' } });
  });
  afterAll(() => t.close());

  const names = async (body: object) => {
    const res = await t.http.post('/api/flows/filter').send(body);
    expect(res.status).toBe(200);
    return (res.body as { name: string }[]).map((f) => f.name).sort();
  };
  const count = async (body: object) => {
    const res = await t.http.post('/api/flows/count').send(body);
    expect(res.status).toBe(200);
    return res.body as number;
  };

  it('deployments: tags and the stored work_queue_name', async () => {
    const body = { deployments: { tags: { all_: ['prod'] }, work_queue_name: { any_: ['high'] } } };
    expect(await names(body)).toEqual(['with-deployment']);
    expect(await count(body)).toBe(1);
  });

  it('work_pools: type and name of the pool behind the deployment queue', async () => {
    const body = { work_pools: { type: { any_: ['kubernetes'] }, name: { any_: ['k8s-pool'] } } };
    expect(await names(body)).toEqual(['with-deployment']);
    expect(await count(body)).toBe(1);
    expect(await count({ work_pools: { type: { any_: ['process'] } } })).toBe(0);
  });

  it('flow_runs: state, expected start time and tags from the create and set_state routes', async () => {
    const body = {
      flow_runs: {
        state: { type: { any_: ['RUNNING'] } },
        expected_start_time: { after_: '2029-12-31T00:00:00Z', before_: '2030-01-02T00:00:00Z' },
        tags: { all_: ['etl'] },
        start_time: { is_null_: false },
      },
    };
    expect(await names(body)).toEqual(['with-runs']);
    expect(await count(body)).toBe(1);
    expect(await count({ flow_runs: { state: { type: { any_: ['SCHEDULED'] } } } })).toBe(0);
  });

  it('task_runs: state, name and end time', async () => {
    const body = {
      task_runs: {
        state: { type: { any_: ['COMPLETED'] } },
        name: { any_: ['extract-0'] },
        end_time: { is_null_: false },
      },
    };
    expect(await names(body)).toEqual(['with-runs']);
    expect(await count(body)).toBe(1);
    expect(await count({ task_runs: { state: { type: { any_: ['FAILED'] } } } })).toBe(0);
  });
});
