import { startTestApp, TestContext } from '../support/test-app';

describe('run state history', () => {
  let t: TestContext;
  let flowRunId: string;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.truncate();
    const flow = await t.http.post('/api/flows/').send({ name: 'etl' });
    flowRunId = (await t.http.post('/api/flow_runs/').send({ flow_id: flow.body.id })).body.id;
  });

  const history = async (kind: 'flow_run' | 'task_run', id: string) =>
    (
      await t.sql.query<{ id: string; type: string; name: string; flow_run_id: string | null }>(
        `SELECT id, type, name, state_details->>'flow_run_id' AS flow_run_id FROM ${kind}_state
          WHERE ${kind}_id = $1 ORDER BY timestamp`,
        [id],
      )
    ).rows;

  it('records the initial state and every set_state of a flow run, with the run state ids', async () => {
    await t.http
      .post(`/api/flow_runs/${flowRunId}/set_state`)
      .send({ state: { type: 'RUNNING' } })
      .expect(201);
    const done = await t.http
      .post(`/api/flow_runs/${flowRunId}/set_state`)
      .send({ state: { type: 'COMPLETED', message: 'ok' } })
      .expect(201);
    const rows = await history('flow_run', flowRunId);
    expect(rows.map((r) => [r.type, r.name])).toEqual([
      ['PENDING', 'Pending'],
      ['RUNNING', 'Running'],
      ['COMPLETED', 'Completed'],
    ]);
    expect(rows[2].id).toBe(done.body.state.id);
    const run = (await t.http.get(`/api/flow_runs/${flowRunId}`)).body;
    expect(run.state_id).toBe(rows[2].id);
  });

  it('records a task run state once, also when the create is repeated', async () => {
    const body = { flow_run_id: flowRunId, task_key: 'extract', dynamic_key: '0', state: { type: 'RUNNING' } };
    const first = await t.http.post('/api/task_runs/').send(body).expect(201);
    await t.http.post('/api/task_runs/').send(body).expect(200);
    await t.http
      .post(`/api/task_runs/${first.body.id}/set_state`)
      .send({ state: { type: 'FAILED' } })
      .expect(201);
    const rows = await history('task_run', first.body.id);
    expect(rows.map((r) => r.type)).toEqual(['RUNNING', 'FAILED']);
    expect(rows.every((r) => r.flow_run_id === flowRunId)).toBe(true);
  });

  it('drops the history with its run', async () => {
    await t.http.delete(`/api/flow_runs/${flowRunId}`).expect(204);
    expect(await history('flow_run', flowRunId)).toEqual([]);
  });
});
