import { randomUUID } from 'node:crypto';
import { startTestApp, TestContext } from '../support/test-app';

describe('deployments', () => {
  let t: TestContext;
  let flowId: string;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.truncate();
    flowId = (await t.http.post('/api/flows/').send({ name: 'etl', labels: { team: 'data', env: 'dev' } })).body.id;
  });

  const create = (body: Record<string, unknown>) => t.http.post('/api/deployments/').send({ flow_id: flowId, ...body });
  const storedQueueName = async (id: string) =>
    (await t.sql.query('SELECT work_queue_name FROM deployment WHERE id = $1', [id])).rows[0].work_queue_name;

  it('creates (201) in Prefect key order with defaults, then upserts on (flow_id, name) with 200', async () => {
    const first = await create({ name: 'nightly', tags: ['a'], paused: true, labels: { env: 'prod' } });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body)).toEqual([
      'id',
      'created',
      'updated',
      'name',
      'version',
      'description',
      'flow_id',
      'paused',
      'schedules',
      'concurrency_limit',
      'global_concurrency_limit',
      'concurrency_options',
      'job_variables',
      'parameters',
      'tags',
      'labels',
      'work_queue_name',
      'work_queue_id',
      'last_polled',
      'parameter_openapi_schema',
      'path',
      'pull_steps',
      'entrypoint',
      'storage_document_id',
      'infrastructure_document_id',
      'created_by',
      'updated_by',
      'work_pool_name',
      'status',
      'enforce_parameter_schema',
    ]);
    expect(first.body).toMatchObject({
      name: 'nightly',
      flow_id: flowId,
      paused: true,
      tags: ['a'],
      schedules: [],
      parameters: {},
      job_variables: {},
      work_queue_name: null,
      work_queue_id: null,
      work_pool_name: null,
      status: 'NOT_READY',
      enforce_parameter_schema: true,
      // Section 10: flow labels, then prefect.flow.id, then the request's labels.
      labels: { team: 'data', env: 'prod', 'prefect.flow.id': flowId },
    });
    const second = await create({ name: 'nightly', tags: ['b'] });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, tags: ['b'], paused: true });
    expect((await t.sql.query('SELECT count(*)::int AS n FROM deployment')).rows[0].n).toBe(1);
  });

  it('answers 409 for an unknown flow_id and 422 for bad bodies', async () => {
    const res = await create({ name: 'x', flow_id: randomUUID() });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      detail:
        'Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.',
    });
    const bad = await t.http.post('/api/deployments/').send({ name: 'x', nope: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.exception_detail.map((e: { type: string; loc: unknown[] }) => [e.type, e.loc])).toEqual([
      ['missing', ['body', 'flow_id']],
      ['extra_forbidden', ['body', 'nope']],
    ]);
  });

  it('checks what Prefect checks beyond the fields: a positive concurrency limit, not both limits, no unknown blocks', async () => {
    const count = async () => (await t.sql.query('SELECT count(*)::int AS n FROM deployment')).rows[0].n;
    const zero = await create({ name: 'x', concurrency_limit: 0 });
    expect(zero.status).toBe(422);
    expect(zero.body.exception_detail[0]).toMatchObject({
      type: 'greater_than',
      loc: ['body', 'concurrency_limit'],
      ctx: { gt: 0 },
    });
    // A before-validator in Prefect: it fires on the raw body, ahead of (and instead of) any field error.
    for (const body of [
      { name: 'x', concurrency_limit: 2, global_concurrency_limit_id: randomUUID() },
      { concurrency_limit: -1, global_concurrency_limit_id: 'not-a-uuid', nope: true },
    ]) {
      const both = await t.http.post('/api/deployments/').send({ flow_id: flowId, ...body });
      expect(both.status).toBe(422);
      expect(both.body.exception_detail).toEqual([
        expect.objectContaining({
          type: 'value_error',
          loc: ['body'],
          msg: 'Value error, A deployment cannot have both a concurrency limit and a global concurrency limit.',
        }),
      ]);
      expect(both.body.request_body).toEqual({ flow_id: flowId, ...body });
    }
    const storage = randomUUID();
    const noStorage = await create({ name: 'x', storage_document_id: storage });
    expect(noStorage.status).toBe(409);
    expect(noStorage.body.detail).toContain(
      `Error creating deployment. Could not find storage block with id: ${storage}.`,
    );
    const noInfra = await create({ name: 'x', infrastructure_document_id: randomUUID(), storage_document_id: storage });
    expect(noInfra.status).toBe(409);
    expect(noInfra.body.detail).toContain('Could not find infrastructure block with id');
    // The work pool is looked up first (404), and a queue made on the way is rolled back with the 409.
    const noPool = await create({ name: 'x', work_pool_name: 'missing-pool', storage_document_id: storage });
    expect(noPool.status).toBe(404);
    await t.http.post('/api/work_pools/').send({ name: 'pool-q' }).expect(201);
    const newQueue = await create({
      name: 'x',
      work_pool_name: 'pool-q',
      work_queue_name: 'fresh',
      storage_document_id: storage,
    });
    expect(newQueue.status).toBe(409);
    expect((await t.http.get('/api/work_pools/pool-q/queues/fresh')).status).toBe(404);
    expect(await count()).toBe(0);
  });

  it('ignores the fields of older clients that Prefect removes (worker_pool_queue_id and kin)', async () => {
    const res = await create({
      name: 'legacy',
      worker_pool_queue_id: randomUUID(),
      worker_pool_name: 'wp',
      worker_pool_queue_name: 'wq',
      work_pool_queue_name: { constructor: 1 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'legacy', work_queue_id: null, work_pool_name: null });
    expect(res.body).not.toHaveProperty('worker_pool_queue_id');
  });

  describe('queue resolution', () => {
    it('pool and queue: that queue, created when missing; the column keeps the request value', async () => {
      await t.http.post('/api/work_pools/').send({ name: 'pool', type: 'process' });
      const res = await create({ name: 'd', work_pool_name: 'pool', work_queue_name: 'fresh' });
      expect(res.status).toBe(201);
      const queue = await t.http.get('/api/work_pools/pool/queues/fresh');
      expect(queue.status).toBe(200);
      expect(res.body).toMatchObject({
        work_queue_id: queue.body.id,
        work_queue_name: 'fresh',
        work_pool_name: 'pool',
      });
      expect(await storedQueueName(res.body.id)).toBe('fresh');
    });

    it("pool only: the pool's default queue, stored work_queue_name NULL; unknown pool 404", async () => {
      const pool = await t.http.post('/api/work_pools/').send({ name: 'pool' });
      const res = await create({ name: 'd', work_pool_name: 'pool' });
      expect(res.body).toMatchObject({
        work_queue_id: pool.body.default_queue_id,
        work_queue_name: 'default',
        work_pool_name: 'pool',
      });
      expect(await storedQueueName(res.body.id)).toBeNull();
      const missing = await create({ name: 'd2', work_pool_name: 'nope' });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ detail: 'Work pool "nope" not found.' });
    });

    it('queue only: the queue lives in the auto-created default-agent-pool', async () => {
      const res = await create({ name: 'd', work_queue_name: 'legacy' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ work_queue_name: 'legacy', work_pool_name: 'default-agent-pool' });
      const queue = await t.http.get('/api/work_pools/default-agent-pool/queues/legacy');
      expect(queue.body).toMatchObject({ id: res.body.work_queue_id, priority: 1 });
      const again = await create({ name: 'd2', work_queue_name: 'legacy' });
      expect(again.body.work_queue_id).toBe(res.body.work_queue_id);
      const def = await create({ name: 'd3', work_queue_name: 'default' });
      const pool = await t.http.get('/api/work_pools/default-agent-pool');
      expect(def.body.work_queue_id).toBe(pool.body.default_queue_id);
    });
  });

  it('reads and deletes by id with Prefect 404s; deleting the flow cascades', async () => {
    const dep = await create({ name: 'd' });
    expect((await t.http.get(`/api/deployments/${dep.body.id}`)).body).toEqual(dep.body);
    expect((await t.http.delete(`/api/deployments/${dep.body.id}`)).status).toBe(204);
    for (const res of [
      await t.http.get(`/api/deployments/${dep.body.id}`),
      await t.http.delete(`/api/deployments/${dep.body.id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Deployment not found' });
    }
    expect((await t.http.get('/api/deployments/not-a-uuid')).body).toEqual({ detail: 'Not Found' });

    const kept = await create({ name: 'd2' });
    expect((await t.http.delete(`/api/flows/${flowId}`)).status).toBe(204);
    expect((await t.http.get(`/api/deployments/${kept.body.id}`)).status).toBe(404);
  });
});
