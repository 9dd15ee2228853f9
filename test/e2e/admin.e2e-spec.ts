import { startTestApp, TestContext } from '../support/test-app';

describe('handshake and admin routes', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp({ prefectVersion: '3.9.0' });
  });
  afterAll(() => t.close());

  it('GET /api/admin/version answers the configured Prefect version as a JSON string', async () => {
    const res = await t.http.get('/api/admin/version').expect(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe('"3.9.0"');
  });

  it('GET /api/hello says hello', async () => {
    const res = await t.http.get('/api/hello').expect(200);
    expect(res.body).toBe('👋');
  });

  it('GET /api/csrf-token answers as Prefect with CSRF protection off', async () => {
    const res = await t.http.get('/api/csrf-token?client=abc').expect(422);
    // Prefect's client looks for exactly this text to stop asking for tokens.
    expect(res.body).toEqual({ detail: 'CSRF protection is disabled.' });
    const missing = await t.http.get('/api/csrf-token').expect(422);
    expect(missing.body.exception_detail).toEqual([
      { type: 'missing', loc: ['query', 'client'], msg: 'Field required', input: null },
    ]);
  });

  it('/api/admin/storage: no default result storage, and no block to set', async () => {
    expect((await t.http.get('/api/admin/storage').expect(200)).body).toEqual({
      default_result_storage_block_id: null,
    });
    const id = '6f1a8f6e-6f0c-4c55-9a2b-2f9b7b0e1d11';
    expect(
      (await t.http.put('/api/admin/storage').send({ default_result_storage_block_id: id }).expect(404)).body,
    ).toEqual({ detail: `Block document ${id} not found.` });
    const bad = await t.http.put('/api/admin/storage').send({ default_result_storage_block_id: 'nope' }).expect(422);
    expect(bad.body.exception_detail[0]).toMatchObject({
      type: 'uuid_parsing',
      loc: ['body', 'default_result_storage_block_id'],
    });
    await t.http.delete('/api/admin/storage').expect(204);
    await t.http.post('/api/admin/version').expect(405);
  });

  it('POST /api/v2/concurrency_limits/increment-with-lease grants a lease on no limits, as Prefect does without them', async () => {
    // The body Prefect's engine sends for a task tagged "flaky".
    const body = {
      names: ['tag:flaky'],
      slots: 1,
      mode: 'concurrency',
      lease_duration: 60,
      holder: { type: 'task_run', id: '01a23b40-3b9a-78d3-ac7e-5b7bfa60bfbf' },
    };
    const res = await t.http.post('/api/v2/concurrency_limits/increment-with-lease').send(body).expect(200);
    expect(res.body).toEqual({ lease_id: expect.stringMatching(/^[0-9a-f-]{36}$/), limits: [] });
    await t.http
      .post('/api/v2/concurrency_limits/decrement-with-lease')
      .send({ lease_id: res.body.lease_id })
      .expect(204);
    const bad = await t.http
      .post('/api/v2/concurrency_limits/increment-with-lease')
      .send({ ...body, names: [], slots: 0, lease_duration: 5, holder: { type: 'user', id: 'x' } })
      .expect(422);
    expect(bad.body.exception_detail.map((e: { type: string; loc: unknown[] }) => [e.type, e.loc.join('.')])).toEqual(
      expect.arrayContaining([
        ['greater_than_equal', 'body.slots'],
        ['too_short', 'body.names'],
        ['greater_than_equal', 'body.lease_duration'],
        ['enum', 'body.holder.type'],
        ['uuid_parsing', 'body.holder.id'],
      ]),
    );
  });
});
