import { startTestApp, TestContext } from '../support/test-app';

const UNKNOWN = '6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5';

describe('UI helper routes: /api/ui/flows/count-deployments and /next-runs', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.truncate());

  const flow = async (name: string) => (await t.http.post('/api/flows/').send({ name })).body.id as string;

  it('counts deployments per requested flow, 0 for flows without any and for unknown ids', async () => {
    const [a, b] = [await flow('a'), await flow('b')];
    for (const name of ['d1', 'd2'])
      expect((await t.http.post('/api/deployments/').send({ name, flow_id: a })).status).toBe(201);
    const res = await t.http.post('/api/ui/flows/count-deployments').send({ flow_ids: [a, b, UNKNOWN] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ [a]: 2, [b]: 0, [UNKNOWN]: 0 });
    // A repeated id is counted once, as Prefect's GROUP BY does.
    expect((await t.http.post('/api/ui/flows/count-deployments').send({ flow_ids: [a, a, b] })).body).toEqual({
      [a]: 2,
      [b]: 0,
    });
  });

  it('returns each flow’s earliest scheduled run, null when there is none', async () => {
    const [a, b] = [await flow('a'), await flow('b')];
    const schedule = (name: string, at: string) =>
      t.http
        .post('/api/flow_runs/')
        .send({ flow_id: a, name, state: { type: 'SCHEDULED', state_details: { scheduled_time: at } } });
    await schedule('later', '2030-01-02T00:00:00Z');
    const sooner = (await schedule('sooner', '2030-01-01T00:00:00Z')).body;
    await t.http.post('/api/flow_runs/').send({ flow_id: b, name: 'running', state: { type: 'RUNNING' } });
    const res = await t.http.post('/api/ui/flows/next-runs').send({ flow_ids: [a, b] });
    expect(res.status).toBe(200);
    expect(res.body[b]).toBeNull();
    expect(res.body[a]).toEqual({
      id: sooner.id,
      flow_id: a,
      name: 'sooner',
      state_name: 'Scheduled',
      state_type: 'SCHEDULED',
      next_scheduled_start_time: '2030-01-01T00:00:00Z',
    });
  });

  it('validates flow_ids: required, a list of UUIDs', async () => {
    const missing = await t.http.post('/api/ui/flows/count-deployments').send({});
    expect(missing.status).toBe(422);
    expect(missing.body.exception_detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'flow_ids'] });
    const bad = await t.http.post('/api/ui/flows/next-runs').send({ flow_ids: ['nope'] });
    expect(bad.status).toBe(422);
    expect(bad.body.exception_detail[0]).toMatchObject({ type: 'uuid_parsing', loc: ['body', 'flow_ids', 0] });
  });
});
