import { startTestApp, TestContext } from '../support/test-app';

describe('work pools and queues', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.truncate());

  const createPool = (body: unknown) => t.http.post('/api/work_pools/').send(body as object);

  describe('POST /api/work_pools/', () => {
    it('creates the pool and its default queue (priority 1) in Prefect key order', async () => {
      const res = await createPool({ name: 'pool-a', type: 'process', concurrency_limit: 3 });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual([
        'id',
        'created',
        'updated',
        'name',
        'description',
        'type',
        'base_job_template',
        'is_paused',
        'concurrency_limit',
        'status',
        'default_queue_id',
        'storage_configuration',
        'active_slots',
      ]);
      expect(res.body).toMatchObject({
        name: 'pool-a',
        type: 'process',
        description: null,
        base_job_template: {},
        is_paused: false,
        concurrency_limit: 3,
        status: 'NOT_READY',
        active_slots: 0,
        storage_configuration: {
          bundle_upload_step: null,
          bundle_execution_step: null,
          default_result_storage_block_id: null,
        },
      });
      const queue = await t.http.get('/api/work_pools/pool-a/queues/default');
      expect(queue.status).toBe(200);
      expect(queue.body).toMatchObject({
        id: res.body.default_queue_id,
        name: 'default',
        priority: 1,
        work_pool_id: res.body.id,
        work_pool_name: 'pool-a',
      });
      expect(Object.keys(queue.body)).toEqual([
        'id',
        'created',
        'updated',
        'name',
        'description',
        'is_paused',
        'concurrency_limit',
        'priority',
        'work_pool_id',
        'filter',
        'last_polled',
        'work_pool_name',
        'status',
        'active_slots',
      ]);
    });

    it('defaults type to prefect-agent (no status) and reads back by name', async () => {
      const res = await createPool({ name: 'agent pool' });
      expect(res.body).toMatchObject({
        type: 'prefect-agent',
        status: null,
        concurrency_limit: null,
        active_slots: null,
      });
      const read = await t.http.get(`/api/work_pools/${encodeURIComponent('agent pool')}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
    });

    it('answers 409 for a duplicate name and keeps one pool', async () => {
      expect((await createPool({ name: 'dup' })).status).toBe(201);
      const again = await createPool({ name: 'dup' });
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ detail: 'A work pool with this name already exists.' });
      const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM work_queue');
      expect(rows[0].n).toBe(1);
    });

    it('answers 403 for names starting with prefect in any case', async () => {
      for (const name of ['prefect-pool', 'PREFECT', 'Prefect x']) {
        const res = await createPool({ name });
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ detail: "Work pools starting with 'Prefect' are reserved for internal use." });
      }
    });

    it('validates base_job_template as Prefect does: both keys, and every {{ placeholder }} declared', async () => {
      const msg = async (base_job_template: unknown) => {
        const res = await createPool({ name: `bjt-${Math.random().toString(36).slice(2)}`, base_job_template });
        return res.status === 422 ? res.body.exception_detail[0] : res.status;
      };
      expect(await msg({ foo: 'bar', x: ['y'] })).toMatchObject({
        type: 'value_error',
        loc: ['body', 'base_job_template'],
        msg: 'Value error, The `base_job_template` must contain both a `job_configuration` key and a `variables` key.',
      });
      const variables = { properties: { command: { type: 'array', items: { type: 'string' } } }, required: [] };
      expect((await msg({ job_configuration: { command: '{{ other_variable }}' }, variables })).msg).toContain(
        'Your job configuration uses the following undeclared variable(s): other_variable.',
      );
      expect(
        (await msg({ job_configuration: { nested: { deeper: ['{{other_variable}}'] } }, variables })).msg,
      ).toContain('undeclared variable(s): other_variable.');
      expect(await msg({ job_configuration: { command: '{{ command }}' }, variables })).toBe(201);
      expect(await msg({})).toBe(201);
    });

    it('validates the name, the limits and unknown keys', async () => {
      const cases: [unknown, string, (string | number)[]][] = [
        [{}, 'missing', ['body', 'name']],
        [{ name: 'a/b' }, 'string_pattern_mismatch', ['body', 'name']],
        [{ name: '   ' }, 'value_error', ['body', 'name']],
        [{ name: `'"'` }, 'value_error', ['body', 'name']],
        [{ name: 5 }, 'string_type', ['body', 'name']],
        [{ name: 'ok', concurrency_limit: -1 }, 'greater_than_equal', ['body', 'concurrency_limit']],
        [{ name: 'ok', is_paused: null }, 'bool_type', ['body', 'is_paused']],
        [{ name: 'ok', nope: 1 }, 'extra_forbidden', ['body', 'nope']],
      ];
      for (const [body, type, loc] of cases) {
        const res = await createPool(body);
        expect(res.status).toBe(422);
        expect(res.body.exception_detail[0]).toMatchObject({ type, loc });
      }
    });
  });

  describe('GET and DELETE /api/work_pools/{name}', () => {
    it('answers 404 with the pool name', async () => {
      for (const res of [await t.http.get('/api/work_pools/nope'), await t.http.delete('/api/work_pools/nope')]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: 'Work pool "nope" not found.' });
      }
    });

    it('deletes the pool with its queues; deployments lose their queue', async () => {
      const pool = await createPool({ name: 'gone' });
      await t.http.post('/api/work_pools/gone/queues').send({ name: 'q2' });
      const flow = await t.http.post('/api/flows/').send({ name: 'f' });
      const dep = await t.http
        .post('/api/deployments/')
        .send({ name: 'd', flow_id: flow.body.id, work_pool_name: 'gone' });
      expect(dep.body.work_queue_id).toBe(pool.body.default_queue_id);
      const del = await t.http.delete('/api/work_pools/gone');
      expect(del.status).toBe(204);
      expect((await t.http.get('/api/work_pools/gone')).status).toBe(404);
      const { rows } = await t.sql.query(
        'SELECT (SELECT count(*)::int FROM work_queue) AS queues, (SELECT work_queue_id FROM deployment) AS q',
      );
      expect(rows[0]).toEqual({ queues: 0, q: null });
      expect((await t.http.get(`/api/deployments/${dep.body.id}`)).body).toMatchObject({
        work_queue_id: null,
        work_pool_name: null,
      });
    });
  });

  describe('queues', () => {
    it('creates a queue with the lowest free priority; 404 unknown pool; 409 duplicate', async () => {
      await createPool({ name: 'p' });
      const q2 = await t.http.post('/api/work_pools/p/queues').send({ name: 'q2' });
      expect(q2.status).toBe(201);
      expect(q2.body).toMatchObject({
        name: 'q2',
        priority: 2,
        description: '',
        is_paused: false,
        work_pool_name: 'p',
        status: 'NOT_READY',
      });
      const q5 = await t.http.post('/api/work_pools/p/queues').send({ name: 'q5', priority: 5 });
      expect(q5.body.priority).toBe(5);
      const q3 = await t.http.post('/api/work_pools/p/queues').send({ name: 'q3' });
      expect(q3.body.priority).toBe(3);

      const missing = await t.http.post('/api/work_pools/nope/queues').send({ name: 'x' });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ detail: 'Work pool "nope" not found.' });
      const dup = await t.http.post('/api/work_pools/p/queues').send({ name: 'q2' });
      expect(dup.status).toBe(409);
    });

    it('an explicit priority that is taken moves the others down', async () => {
      await createPool({ name: 'p' });
      await t.http.post('/api/work_pools/p/queues').send({ name: 'q2' });
      const top = await t.http.post('/api/work_pools/p/queues').send({ name: 'top', priority: 1 });
      expect(top.body.priority).toBe(1);
      const { rows } = await t.sql.query('SELECT name, priority FROM work_queue ORDER BY priority');
      expect(rows).toEqual([
        { name: 'top', priority: 1 },
        { name: 'default', priority: 2 },
        { name: 'q2', priority: 3 },
      ]);
    });

    it('validates queue bodies and reads 404 as pool/queue', async () => {
      await createPool({ name: 'p' });
      const bad = await t.http.post('/api/work_pools/p/queues').send({ name: 'q', priority: 0 });
      expect(bad.status).toBe(422);
      expect(bad.body.exception_detail[0]).toMatchObject({ type: 'greater_than', loc: ['body', 'priority'] });
      const read = await t.http.get('/api/work_pools/p/queues/nope');
      expect(read.status).toBe(404);
      expect(read.body).toEqual({ detail: "Work pool queue 'p/nope' not found." });
    });
  });
});

describe('work pool names', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports a blank name once, as value_error (the pattern does not report it again)', async () => {
    const res = await t.http.post('/api/work_pools/').send({ name: '' });
    expect(res.status).toBe(422);
    expect(res.body.exception_detail.map((e: { type: string; loc: unknown[] }) => [e.type, e.loc])).toEqual([
      ['value_error', ['body', 'name']],
    ]);
  });
});
