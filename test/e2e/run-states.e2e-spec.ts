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

  it('GET /api/flow_run_states/?flow_run_id= lists the states oldest first, in Prefect shape', async () => {
    const running = await t.http
      .post(`/api/flow_runs/${flowRunId}/set_state`)
      .send({ state: { type: 'RUNNING', message: 'go' } })
      .expect(201);
    const res = await t.http.get(`/api/flow_run_states/?flow_run_id=${flowRunId}`).expect(200);
    expect(res.body.map((s: { type: string }) => s.type)).toEqual(['PENDING', 'RUNNING']);
    expect(res.body[1]).toEqual(running.body.state);
    expect(Object.keys(res.body[1])).toEqual(['id', 'type', 'name', 'timestamp', 'message', 'data', 'state_details']);
    expect((await t.http.get(`/api/flow_run_states/${running.body.state.id}`).expect(200)).body).toEqual(
      running.body.state,
    );
    // Without the slash: Starlette's redirect to the collection route.
    await t.http.get(`/api/flow_run_states?flow_run_id=${flowRunId}`).expect(307);
  });

  it("GET /api/task_run_states/ lists a task run's states; unknown ids and bad queries answer as Prefect", async () => {
    const created = await t.http
      .post('/api/task_runs/')
      .send({ flow_run_id: flowRunId, task_key: 'k', dynamic_key: '0' })
      .expect(201);
    await t.http.post(`/api/task_runs/${created.body.id}/set_state`).send({ state: { type: 'COMPLETED' } });
    const states = (await t.http.get(`/api/task_run_states/?task_run_id=${created.body.id}`).expect(200)).body;
    expect(states.map((s: { type: string }) => s.type)).toEqual(['PENDING', 'COMPLETED']);
    expect(states[1].state_details.task_run_id).toBe(created.body.id);
    expect((await t.http.get(`/api/task_run_states/${states[0].id}`).expect(200)).body).toEqual(states[0]);

    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await t.http.get(`/api/task_run_states/?task_run_id=${unknown}`).expect(200)).body).toEqual([]);
    expect((await t.http.get(`/api/task_run_states/${unknown}`).expect(404)).body).toEqual({
      detail: 'Flow run state not found',
    });
    expect((await t.http.get('/api/task_run_states/').expect(422)).body.exception_detail).toEqual([
      { type: 'missing', loc: ['query', 'task_run_id'], msg: 'Field required', input: null },
    ]);
    expect(
      (await t.http.get('/api/flow_run_states/?flow_run_id=nope').expect(422)).body.exception_detail[0],
    ).toMatchObject({ type: 'uuid_parsing', loc: ['query', 'flow_run_id'], input: 'nope' });
  });
});
