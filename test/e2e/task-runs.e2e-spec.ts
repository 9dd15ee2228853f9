import { randomUUID } from 'node:crypto';
import { startTestApp, TestContext } from '../support/test-app';

describe('task runs', () => {
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

  const create = (body: Record<string, unknown> = {}) =>
    t.http.post('/api/task_runs/').send({ flow_run_id: flowRunId, task_key: 'extract', dynamic_key: '0', ...body });
  const read = async (id: string) => (await t.http.get(`/api/task_runs/${id}`)).body;

  it('creates a PENDING task run in Prefect key order', async () => {
    const res = await create({ tags: ['t'] });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual([
      'id',
      'created',
      'updated',
      'name',
      'flow_run_id',
      'task_key',
      'dynamic_key',
      'cache_key',
      'cache_expiration',
      'task_version',
      'empirical_policy',
      'tags',
      'labels',
      'state_id',
      'task_inputs',
      'state_type',
      'state_name',
      'run_count',
      'flow_run_run_count',
      'expected_start_time',
      'next_scheduled_start_time',
      'start_time',
      'end_time',
      'total_run_time',
      'estimated_run_time',
      'estimated_start_time_delta',
      'state',
    ]);
    expect(res.body.name).toMatch(/^[a-z]+-[a-z]+$/);
    expect(res.body).toMatchObject({
      flow_run_id: flowRunId,
      state_type: 'PENDING',
      state_name: 'Pending',
      tags: ['t'],
      task_inputs: {},
    });
    expect(res.body.state.state_details).toMatchObject({ flow_run_id: flowRunId, task_run_id: res.body.id });
    expect(await read(res.body.id)).toMatchObject({ id: res.body.id, state_id: res.body.state_id });
  });

  it('names a run with a slug when the name is null or empty, as Prefect does', async () => {
    for (const [i, name] of [null, ''].entries()) {
      const res = await create({ name, dynamic_key: String(i) });
      expect(res.status).toBe(201);
      expect(res.body.name).toMatch(/^[a-z]+-[a-z]+$/);
    }
  });

  it('applies TaskRunPolicy: at most 50 retry delays, jitter factor >= 0, old field names carried over', async () => {
    const delays = await create({
      empirical_policy: { retries: 3, retry_delay: Array.from({ length: 51 }, (_, i) => i) },
    });
    expect(delays.status).toBe(422);
    expect(delays.body.exception_detail[0]).toMatchObject({
      type: 'value_error',
      loc: ['body', 'empirical_policy', 'retry_delay'],
      msg: 'Value error, Can not configure more than 50 retry delays per task.',
    });
    const jitter = await create({ empirical_policy: { retries: 3, retry_jitter_factor: -100 } });
    expect(jitter.status).toBe(422);
    expect(jitter.body.exception_detail[0].msg).toContain('`retry_jitter_factor` must be >= 0.');
    const old = await create({ empirical_policy: { max_retries: 3, retry_delay_seconds: 5 } });
    expect(old.status).toBe(201);
    expect(old.body.empirical_policy).toEqual({
      max_retries: 3,
      retry_delay_seconds: 5,
      retries: 3,
      retry_delay: 5,
      retry_jitter_factor: null,
    });
    const fifty = await create({
      dynamic_key: '50',
      empirical_policy: { retry_delay: Array.from({ length: 50 }, () => 1) },
    });
    expect(fifty.status).toBe(201);
  });

  it('refuses a cache key over 2000 characters, as Prefect does by default', async () => {
    const long = await create({ cache_key: 'k'.repeat(2001) });
    expect(long.status).toBe(422);
    expect(long.body.exception_detail[0]).toMatchObject({
      type: 'value_error',
      loc: ['body', 'cache_key'],
      msg: 'Value error, Cache key exceeded maximum allowed length of 2000 characters.',
    });
    expect((await create({ cache_key: 'k'.repeat(2000) })).status).toBe(201);
  });

  it('is idempotent on (flow_run_id, task_key, dynamic_key) under concurrency', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => create()));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM task_run')).rows[0].n).toBe(1);
    expect((await create({ dynamic_key: '1' })).status).toBe(201);
  });

  it('accepts a client-chosen id', async () => {
    const id = randomUUID();
    expect((await create({ id })).body.id).toBe(id);
  });

  it('derives the time columns across SCHEDULED -> RUNNING -> COMPLETED -> RUNNING', async () => {
    const run = await create({
      state: { type: 'SCHEDULED', state_details: { scheduled_time: '2031-05-06T07:08:09Z' } },
    });
    expect(run.body).toMatchObject({
      expected_start_time: '2031-05-06T07:08:09Z',
      next_scheduled_start_time: '2031-05-06T07:08:09Z',
    });
    const id = run.body.id;
    const running = await t.http.post(`/api/task_runs/${id}/set_state`).send({ state: { type: 'RUNNING' } });
    expect(running.status).toBe(201);
    expect(running.body).toMatchObject({ status: 'ACCEPT', state: { type: 'RUNNING' } });
    const started = running.body.state.timestamp;
    expect(await read(id)).toMatchObject({
      start_time: started,
      next_scheduled_start_time: null,
      end_time: null,
      run_count: 1,
    });
    const done = await t.http.post(`/api/task_runs/${id}/set_state`).send({ state: { type: 'COMPLETED' } });
    expect(await read(id)).toMatchObject({
      state_type: 'COMPLETED',
      start_time: started,
      end_time: done.body.state.timestamp,
    });
    await t.http.post(`/api/task_runs/${id}/set_state`).send({ state: { type: 'RUNNING' }, force: true });
    expect(await read(id)).toMatchObject({ state_type: 'RUNNING', start_time: started, end_time: null, run_count: 2 });
  });

  it('answers Prefect 404s, 409 for an unknown flow run, and 422 for bad bodies', async () => {
    const missing = randomUUID();
    expect((await t.http.get(`/api/task_runs/${missing}`)).body).toEqual({ detail: 'Task not found' });
    expect((await t.http.delete(`/api/task_runs/${missing}`)).body).toEqual({ detail: 'Task not found' });
    const set = await t.http.post(`/api/task_runs/${missing}/set_state`).send({ state: { type: 'RUNNING' } });
    expect(set.status).toBe(404);
    expect(set.body).toEqual({ exception_message: `Task run with id ${missing} not found` });
    expect((await create({ flow_run_id: randomUUID() })).status).toBe(409);
    const bad = await t.http.post('/api/task_runs/').send({ task_key: 'k', extra: true });
    expect(bad.status).toBe(422);
    expect(bad.body.exception_detail.map((e: { type: string; loc: unknown[] }) => [e.type, e.loc])).toEqual([
      ['missing', ['body', 'dynamic_key']],
      ['extra_forbidden', ['body', 'extra']],
    ]);

    const run = await create();
    expect((await t.http.delete(`/api/task_runs/${run.body.id}`)).status).toBe(204);
    expect((await t.http.get(`/api/task_runs/${run.body.id}`)).status).toBe(404);
  });

  it('is idempotent on (task_key, dynamic_key) for task runs without a flow run, also under concurrency', async () => {
    const body = { task_key: 'standalone', dynamic_key: '0' };
    const results = await Promise.all(Array.from({ length: 6 }, () => t.http.post('/api/task_runs/').send(body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results[0].body.flow_run_id).toBeNull();
    const other = await t.http.post('/api/task_runs/').send({ ...body, dynamic_key: '1' });
    expect(other.status).toBe(201);
  });

  it('inherits the flow run’s labels, adds prefect.flow-run.id, and lets the request’s labels win', async () => {
    const flow = (await t.http.post('/api/flows/').send({ name: 'labelled' })).body;
    const run = (await t.http.post('/api/flow_runs/').send({ flow_id: flow.id, labels: { team: 'a', env: 'dev' } }))
      .body;
    const task = await t.http
      .post('/api/task_runs/')
      .send({ flow_run_id: run.id, task_key: 'k', dynamic_key: 'l', labels: { env: 'prod' } });
    expect(task.status).toBe(201);
    expect(task.body.labels).toEqual({ ...run.labels, team: 'a', 'prefect.flow-run.id': run.id, env: 'prod' });
  });
});
