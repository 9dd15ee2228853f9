import { randomUUID } from 'node:crypto';
import { startTestApp, TestContext } from '../support/test-app';

describe('flow runs', () => {
  let t: TestContext;
  let flowId: string;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.truncate();
    flowId = (await t.http.post('/api/flows/').send({ name: 'etl', labels: { team: 'data' } })).body.id;
  });

  const create = (body: Record<string, unknown> = {}) =>
    t.http.post('/api/flow_runs/').send({ flow_id: flowId, ...body });
  const setState = (id: string, state: unknown, extra: Record<string, unknown> = {}) =>
    t.http.post(`/api/flow_runs/${id}/set_state`).send({ state, ...extra });
  const read = async (id: string) => (await t.http.get(`/api/flow_runs/${id}`)).body;

  it('creates a PENDING run with a slug name, Prefect keys and inherited labels', async () => {
    const res = await create({ tags: ['x'], labels: { env: 'dev' } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual([
      'id',
      'created',
      'updated',
      'name',
      'flow_id',
      'state_id',
      'deployment_id',
      'deployment_version',
      'work_queue_id',
      'work_queue_name',
      'flow_version',
      'parameters',
      'idempotency_key',
      'context',
      'empirical_policy',
      'tags',
      'labels',
      'parent_task_run_id',
      'state_type',
      'state_name',
      'run_count',
      'expected_start_time',
      'next_scheduled_start_time',
      'start_time',
      'end_time',
      'total_run_time',
      'estimated_run_time',
      'estimated_start_time_delta',
      'auto_scheduled',
      'infrastructure_document_id',
      'infrastructure_pid',
      'created_by',
      'work_pool_id',
      'work_pool_name',
      'state',
      'job_variables',
    ]);
    expect(res.body.name).toMatch(/^[a-z]+-[a-z]+$/);
    expect(res.body).toMatchObject({
      state_type: 'PENDING',
      state_name: 'Pending',
      run_count: 0,
      tags: ['x'],
      created_by: null,
      labels: { team: 'data', 'prefect.flow.id': flowId, env: 'dev' },
      empirical_policy: {
        max_retries: 0,
        retry_delay_seconds: 0,
        retries: null,
        retry_delay: null,
        pause_keys: [],
        resuming: false,
        retry_type: null,
      },
    });
    expect(res.body.state).toMatchObject({ type: 'PENDING', name: 'Pending', message: null, data: null });
    expect(res.body.state.id).toBe(res.body.state_id);
    expect(res.body.state.state_details).toMatchObject({ flow_run_id: res.body.id, scheduled_time: null });
    expect(res.body.expected_start_time).toBe(res.body.state.timestamp);
    expect(await read(res.body.id)).toMatchObject({ id: res.body.id, state_id: res.body.state_id });
  });

  it('names a run with a slug when the name is null or empty (Prefect clients send name: null)', async () => {
    const flow = await t.http.post('/api/flows/').send({ name: 'named' });
    for (const name of [null, '']) {
      const res = await t.http
        .post('/api/flow_runs/')
        .send({ flow_id: flow.body.id, name, state: { type: 'PENDING' } });
      expect(res.status).toBe(201);
      expect(res.body.name).toMatch(/^[a-z]+-[a-z]+$/);
    }
  });

  it('starts from the deployment labels when deployment_id names one', async () => {
    const dep = await t.http.post('/api/deployments/').send({ name: 'd', flow_id: flowId, labels: { tier: 'gold' } });
    const res = await create({ deployment_id: dep.body.id, labels: { run: 1 } });
    expect(res.body.labels).toEqual({
      team: 'data',
      tier: 'gold',
      'prefect.flow.id': flowId,
      'prefect.deployment.id': dep.body.id,
      run: 1,
    });
    const unknown = randomUUID();
    const verbatim = await create({ deployment_id: unknown });
    expect(verbatim.body).toMatchObject({
      deployment_id: unknown,
      labels: { team: 'data', 'prefect.flow.id': flowId },
    });
  });

  it('gives exactly one 201 to 10 parallel creates with one idempotency key', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => create({ idempotency_key: 'once' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM flow_run')).rows[0].n).toBe(1);
    // The key is per flow.
    const other = (await t.http.post('/api/flows/').send({ name: 'other' })).body.id;
    expect((await t.http.post('/api/flow_runs/').send({ flow_id: other, idempotency_key: 'once' })).status).toBe(201);
  });

  it('sets created_by from both automation headers only', async () => {
    const automation = randomUUID();
    const res = await create()
      .set('Prefect-Automation-ID', automation)
      .set('Prefect-Automation-Name', Buffer.from('My automation').toString('base64'));
    expect(res.body.created_by).toEqual({ id: automation, type: 'AUTOMATION', display_value: 'My automation' });
    expect((await create().set('Prefect-Automation-ID', automation)).body.created_by).toBeNull();
  });

  it('resolves work_pool_name (+ work_queue_name) to a queue; a missing queue is 404', async () => {
    const pool = await t.http.post('/api/work_pools/').send({ name: 'pool' });
    const byPool = await create({ work_pool_name: 'pool' });
    expect(byPool.body).toMatchObject({
      work_queue_id: pool.body.default_queue_id,
      work_pool_id: pool.body.id,
      work_pool_name: 'pool',
      work_queue_name: null,
    });
    const byQueue = await create({ work_pool_name: 'pool', work_queue_name: 'default' });
    expect(byQueue.body).toMatchObject({ work_queue_id: pool.body.default_queue_id, work_queue_name: 'default' });
    const missing = await create({ work_pool_name: 'pool', work_queue_name: 'nope' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "Work pool queue 'pool/nope' not found." });
    expect((await create({ work_pool_name: 'nope' })).body).toEqual({ detail: 'Work pool "nope" not found.' });
    const verbatim = await create({ work_queue_name: 'free-text' });
    expect(verbatim.body).toMatchObject({ work_queue_name: 'free-text', work_queue_id: null });
  });

  it('derives the time columns across SCHEDULED -> RUNNING -> COMPLETED -> SCHEDULED', async () => {
    const scheduledTime = '2030-01-02T03:04:05.123456+02:00';
    const run = await create({ state: { type: 'SCHEDULED', state_details: { scheduled_time: scheduledTime } } });
    expect(run.body).toMatchObject({
      state_type: 'SCHEDULED',
      state_name: 'Scheduled',
      expected_start_time: '2030-01-02T01:04:05.123456Z',
      next_scheduled_start_time: '2030-01-02T01:04:05.123456Z',
      start_time: null,
      end_time: null,
    });
    const id = run.body.id;

    // Forced: unforced, a run scheduled in the future is told to wait (orchestration e2e covers that).
    const running = await setState(id, { type: 'RUNNING' }, { force: true });
    expect(running.status).toBe(201);
    expect(Object.keys(running.body)).toEqual(['state', 'status', 'details']);
    expect(running.body).toMatchObject({
      status: 'ACCEPT',
      details: { type: 'accept_details' },
      state: { type: 'RUNNING', name: 'Running' },
    });
    const startedAt = running.body.state.timestamp;
    expect(await read(id)).toMatchObject({
      state_type: 'RUNNING',
      expected_start_time: '2030-01-02T01:04:05.123456Z',
      next_scheduled_start_time: null,
      start_time: startedAt,
      end_time: null,
      run_count: 1,
    });

    const done = await setState(id, { type: 'COMPLETED', name: 'Done', message: 'ok' });
    const endedAt = done.body.state.timestamp;
    const completed = await read(id);
    expect(completed).toMatchObject({
      state_type: 'COMPLETED',
      state_name: 'Done',
      start_time: startedAt,
      end_time: endedAt,
    });
    expect(completed.total_run_time).toBeGreaterThanOrEqual(0);
    expect(completed.state).toMatchObject({ message: 'ok', id: done.body.state.id });

    // A second terminal state keeps the first end time; leaving terminal clears it.
    await setState(id, { type: 'FAILED' });
    expect((await read(id)).end_time).toBe(endedAt);
    const again = await setState(id, { type: 'SCHEDULED' }, { force: true });
    expect(again.body.state.state_details.scheduled_time).toBe(again.body.state.timestamp);
    expect(await read(id)).toMatchObject({
      state_type: 'SCHEDULED',
      end_time: null,
      start_time: startedAt,
      expected_start_time: '2030-01-02T01:04:05.123456Z',
      next_scheduled_start_time: again.body.state.timestamp,
    });
  });

  it('fills start_time when a run goes straight to a terminal state', async () => {
    const run = await create();
    const failed = await setState(run.body.id, { type: 'CRASHED' });
    const body = await read(run.body.id);
    expect(body).toMatchObject({
      state_name: 'Crashed',
      start_time: failed.body.state.timestamp,
      end_time: failed.body.state.timestamp,
    });
    const cancelling = await setState(run.body.id, { type: 'CANCELLING' });
    expect(cancelling.body.state.name).toBe('Cancelling');
  });

  it('validates StateCreate and the set_state body', async () => {
    const run = await create();
    const cases: [unknown, string, (string | number)[]][] = [
      [
        { state: { type: 'RUNNING', timestamp: '2030-01-01T00:00:00Z' } },
        'extra_forbidden',
        ['body', 'state', 'timestamp'],
      ],
      [{ state: { type: 'running' } }, 'enum', ['body', 'state', 'type']],
      [{ state: {} }, 'missing', ['body', 'state', 'type']],
      [{}, 'missing', ['body', 'state']],
      [{ state: null }, 'missing', ['body', 'state']],
      [
        { state: { type: 'SCHEDULED', state_details: { scheduled_time: 'nope' } } },
        'datetime_from_date_parsing',
        ['body', 'state', 'state_details', 'scheduled_time'],
      ],
    ];
    for (const [body, type, loc] of cases) {
      const res = await t.http.post(`/api/flow_runs/${run.body.id}/set_state`).send(body as object);
      expect(res.status).toBe(422);
      expect(res.body.exception_detail[0]).toMatchObject({ type, loc });
    }
    const initial = await create({ state: { type: 'RUNNING', bad: 1 } });
    expect(initial.status).toBe(422);
    expect(initial.body.exception_detail[0]).toMatchObject({ type: 'extra_forbidden', loc: ['body', 'state', 'bad'] });
  });

  it('answers Prefect 404s and 409 for an unknown flow; deleting the flow cascades to runs and task runs', async () => {
    const missing = randomUUID();
    expect((await t.http.get(`/api/flow_runs/${missing}`)).body).toEqual({ detail: 'Flow run not found' });
    expect((await t.http.delete(`/api/flow_runs/${missing}`)).status).toBe(404);
    const set = await setState(missing, { type: 'RUNNING' });
    expect(set.status).toBe(404);
    expect(set.body).toEqual({ exception_message: `Flow run with id ${missing} not found` });
    expect((await create({ flow_id: randomUUID() })).status).toBe(409);

    const run = await create();
    await t.http.post('/api/task_runs/').send({ flow_run_id: run.body.id, task_key: 'k', dynamic_key: '0' });
    expect((await t.http.delete(`/api/flow_runs/${run.body.id}`)).status).toBe(204);
    expect((await t.http.get(`/api/flow_runs/${run.body.id}`)).status).toBe(404);

    const kept = await create();
    await t.http.post('/api/task_runs/').send({ flow_run_id: kept.body.id, task_key: 'k', dynamic_key: '0' });
    expect((await t.http.delete(`/api/flows/${flowId}`)).status).toBe(204);
    const { rows } = await t.sql.query(
      'SELECT (SELECT count(*)::int FROM flow_run) AS runs, (SELECT count(*)::int FROM task_run) AS tasks',
    );
    expect(rows[0]).toEqual({ runs: 0, tasks: 0 });
  });
});

describe('flow runs: free-form JSON fields', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('stores parameters with keys named like Object.prototype members exactly as sent', async () => {
    const flow = (await t.http.post('/api/flows/').send({ name: 'free-form' })).body;
    const parameters = { constructor: 1, toString: 'x', hasOwnProperty: { nested: [1, 2] }, plain: null };
    const res = await t.http
      .post('/api/flow_runs/')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ flow_id: flow.id, parameters }));
    expect(res.status).toBe(201);
    expect(res.body.parameters).toEqual(parameters);
  });
});
