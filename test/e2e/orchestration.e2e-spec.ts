import { randomUUID } from 'node:crypto';
import { startTestApp, TestContext } from '../support/test-app';

/**
 * set_state as Prefect's engine drives it (runs/orchestration.ts): retries through AwaitingRetry, failures,
 * scheduled-time waits, repeated proposals, and subflow runs that carry their parent task run along.
 */
describe('flow-run orchestration', () => {
  let t: TestContext;
  let flowId: string;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.truncate();
    flowId = (await t.http.post('/api/flows/').send({ name: 'etl' })).body.id;
  });

  const createRun = async (body: Record<string, unknown> = {}) =>
    (
      await t.http
        .post('/api/flow_runs/')
        .send({ flow_id: flowId, ...body })
        .expect(201)
    ).body.id as string;
  const propose = (id: string, state: Record<string, unknown>, force = false) =>
    t.http.post(`/api/flow_runs/${id}/set_state`).send({ state, force });
  const read = async (id: string) => (await t.http.get(`/api/flow_runs/${id}`).expect(200)).body;
  const history = async (id: string) =>
    (
      await t.sql.query<{ type: string; name: string }>(
        'SELECT type, name FROM flow_run_state WHERE flow_run_id = $1 ORDER BY timestamp',
        [id],
      )
    ).rows.map((r) => `${r.type}/${r.name}`);

  it('retries a failed run while run_count <= retries: REJECT to AwaitingRetry, then RUNNING counts again', async () => {
    const id = await createRun({ empirical_policy: { retries: 1, retry_delay: 0 } });
    expect((await propose(id, { type: 'RUNNING' })).status).toBe(201);

    const failed = await propose(id, { type: 'FAILED', message: 'boom', data: { type: 'unpersisted' } });
    expect(failed.status).toBe(201);
    expect(failed.body).toMatchObject({
      status: 'REJECT',
      details: { type: 'reject_details', reason: 'Retrying' },
      state: { type: 'SCHEDULED', name: 'AwaitingRetry', message: 'boom', data: { type: 'unpersisted' } },
    });
    const scheduledTime = failed.body.state.state_details.scheduled_time;
    expect(Date.parse(scheduledTime)).toBeLessThanOrEqual(Date.now());
    expect(await read(id)).toMatchObject({
      state_type: 'SCHEDULED',
      state_name: 'AwaitingRetry',
      run_count: 1,
      end_time: null,
      next_scheduled_start_time: scheduledTime,
    });

    const rerun = await propose(id, { type: 'RUNNING' });
    expect(rerun.body.status).toBe('ACCEPT');
    expect((await read(id)).run_count).toBe(2);

    // The retry is used up: the second failure is accepted.
    const final = await propose(id, { type: 'FAILED', message: 'boom again' });
    expect(final.status).toBe(201);
    expect(final.body).toMatchObject({ status: 'ACCEPT', state: { type: 'FAILED' } });
    const run = await read(id);
    expect(run).toMatchObject({ state_type: 'FAILED', run_count: 2, end_time: final.body.state.timestamp });
    expect(run.total_run_time).toBeGreaterThanOrEqual(0);
    expect(await history(id)).toEqual([
      'PENDING/Pending',
      'RUNNING/Running',
      'SCHEDULED/AwaitingRetry',
      'RUNNING/Running',
      'FAILED/Failed',
    ]);
  });

  it('records a failing run without retries as FAILED, and a completed retry as COMPLETED', async () => {
    const plain = await createRun();
    await propose(plain, { type: 'RUNNING' }).expect(201);
    expect((await propose(plain, { type: 'FAILED' })).body.status).toBe('ACCEPT');
    expect(await read(plain)).toMatchObject({ state_type: 'FAILED', run_count: 1 });

    const retried = await createRun({ empirical_policy: { retries: 2 } });
    await propose(retried, { type: 'RUNNING' });
    expect((await propose(retried, { type: 'FAILED' })).body.status).toBe('REJECT');
    await propose(retried, { type: 'RUNNING' });
    expect((await propose(retried, { type: 'COMPLETED' })).body.status).toBe('ACCEPT');
    expect(await read(retried)).toMatchObject({ state_type: 'COMPLETED', run_count: 2 });
  });

  it('tells a run to wait for its scheduled time (nothing written, 200); force skips the rules', async () => {
    const id = await createRun({ empirical_policy: { retries: 1, retry_delay: 30 } });
    await propose(id, { type: 'RUNNING' });
    const failed = await propose(id, { type: 'FAILED' });
    expect(failed.body.state.name).toBe('AwaitingRetry');
    const waitUntil = Date.parse(failed.body.state.state_details.scheduled_time);
    expect(waitUntil - Date.parse(failed.body.state.timestamp)).toBeGreaterThanOrEqual(29_000);

    const early = await propose(id, { type: 'RUNNING' });
    expect(early.status).toBe(200);
    expect(early.body.status).toBe('WAIT');
    expect(early.body.details).toMatchObject({ type: 'wait_details', reason: 'Scheduled time is in the future' });
    expect(early.body.details.delay_seconds).toBeGreaterThanOrEqual(29);
    expect(early.body.details.delay_seconds).toBeLessThanOrEqual(30);
    expect(early.body.state).toEqual(failed.body.state);
    expect((await read(id)).state_name).toBe('AwaitingRetry');

    const forced = await propose(id, { type: 'RUNNING' }, true);
    expect(forced.status).toBe(201);
    expect(forced.body.status).toBe('ACCEPT');
    expect((await read(id)).run_count).toBe(2);
    // Forced, a failure within the retries is written as proposed.
    expect((await propose(id, { type: 'FAILED' }, true)).body).toMatchObject({
      status: 'ACCEPT',
      state: { type: 'FAILED' },
    });
  });

  it('rejects a repeated proposal (same transition_id) with the current state, writing nothing', async () => {
    const id = await createRun();
    const transition = { type: 'RUNNING', state_details: { transition_id: randomUUID() } };
    const first = await propose(id, transition);
    expect(first.status).toBe(201);
    const again = await propose(id, transition);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      status: 'REJECT',
      details: { type: 'reject_details', reason: 'This run has already made this state transition.' },
    });
    expect(again.body.state.id).toBe(first.body.state.id);
    expect((await read(id)).run_count).toBe(1);
    expect(await history(id)).toEqual(['PENDING/Pending', 'RUNNING/Running']);
    // A new transition id is a new proposal.
    const next = await propose(id, { type: 'COMPLETED', state_details: { transition_id: randomUUID() } });
    expect(next.body.status).toBe('ACCEPT');
  });

  it('counts every RUNNING state, as Prefect does', async () => {
    const id = await createRun();
    await propose(id, { type: 'RUNNING' });
    await propose(id, { type: 'RUNNING' });
    expect((await read(id)).run_count).toBe(2);
  });

  it('links a subflow run to its parent task run, which follows the subflow states', async () => {
    const parent = await createRun({ name: 'parent' });
    const task = await t.http
      .post('/api/task_runs/')
      .send({ flow_run_id: parent, task_key: 'child-flow', dynamic_key: '0', name: 'child-0' })
      .expect(201);
    const taskId = task.body.id as string;
    const child = await createRun({ name: 'child', parent_task_run_id: taskId });
    expect((await read(child)).parent_task_run_id).toBe(taskId);

    const running = await propose(child, { type: 'RUNNING' });
    expect(running.body.state.state_details).toMatchObject({ flow_run_id: child, task_run_id: taskId });
    let parentTask = (await t.http.get(`/api/task_runs/${taskId}`).expect(200)).body;
    expect(parentTask).toMatchObject({ state_type: 'RUNNING', run_count: 1, flow_run_id: parent });
    expect(parentTask.state.state_details).toMatchObject({
      child_flow_run_id: child,
      flow_run_id: parent,
      task_run_id: taskId,
    });
    expect(parentTask.state.id).not.toBe(running.body.state.id);

    await propose(child, { type: 'COMPLETED', message: 'done' }).expect(201);
    parentTask = (await t.http.get(`/api/task_runs/${taskId}`).expect(200)).body;
    expect(parentTask).toMatchObject({ state_type: 'COMPLETED', state: { message: 'done' } });
    expect(parentTask.end_time).not.toBeNull();
    const states = await t.sql.query('SELECT type FROM task_run_state WHERE task_run_id = $1 ORDER BY timestamp', [
      taskId,
    ]);
    expect(states.rows.map((r: { type: string }) => r.type)).toEqual(['PENDING', 'RUNNING', 'COMPLETED']);

    // The engine's lookup of an existing subflow run, and the other subflow filters.
    const found = await t.http
      .post('/api/flow_runs/filter')
      .send({ flow_runs: { parent_task_run_id: { any_: [taskId] } }, sort: 'EXPECTED_START_TIME_DESC', limit: 1 })
      .expect(200);
    expect(found.body.map((r: { id: string }) => r.id)).toEqual([child]);
    const parents = await t.http
      .post('/api/task_runs/filter')
      .send({ task_runs: { subflow_runs: { exists_: true } } })
      .expect(200);
    expect(parents.body.map((r: { id: string }) => r.id)).toEqual([taskId]);
  });

  it('answers 404 for an unknown run and writes nothing for a bad proposal', async () => {
    const missing = await propose(randomUUID(), { type: 'RUNNING' });
    expect(missing.status).toBe(404);
    const id = await createRun();
    const bad = await propose(id, { type: 'RUNNNING' });
    expect(bad.status).toBe(422);
    expect(await history(id)).toEqual(['PENDING/Pending']);
  });
});
