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
});
