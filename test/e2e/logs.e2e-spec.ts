import { randomUUID } from 'node:crypto';
import { startTestApp, TestContext } from '../support/test-app';

describe('logs', () => {
  let t: TestContext;
  const flowRunId = randomUUID();
  const taskRunId = randomUUID();
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.truncate());

  // As Prefect's APILogHandler sends them.
  const line = (message: string, level: number, second: number, extra: Record<string, unknown> = {}) => ({
    name: 'prefect.flow_runs',
    level,
    message,
    timestamp: `2026-12-03T08:51:${String(second).padStart(2, '0')}.123456+00:00`,
    flow_run_id: flowRunId,
    task_run_id: null,
    ...extra,
  });
  const seed = () =>
    t.http
      .post('/api/logs/')
      .send([
        line('Beginning flow run', 20, 1),
        line('adding 2 and 3', 20, 2, { name: 'prefect.task_runs', task_run_id: taskRunId }),
        line('result is 5', 30, 3),
        line('Connection timeout to db', 40, 4, { flow_run_id: null }),
      ])
      .expect(201);
  const filter = async (body: Record<string, unknown>) =>
    ((await t.http.post('/api/logs/filter').send(body).expect(200)).body as { message: string }[]).map(
      (l) => l.message,
    );

  it('POST /api/logs/ stores a batch and answers 201 null; filter returns them in Prefect shape', async () => {
    const res = await seed();
    expect(res.text).toBe('null');
    const logs = (await t.http.post('/api/logs/filter').send({}).expect(200)).body;
    expect(logs).toHaveLength(4);
    expect(Object.keys(logs[1])).toEqual([
      'id',
      'created',
      'updated',
      'name',
      'level',
      'message',
      'timestamp',
      'flow_run_id',
      'task_run_id',
    ]);
    expect(logs[1]).toMatchObject({
      name: 'prefect.task_runs',
      level: 20,
      message: 'adding 2 and 3',
      timestamp: '2026-12-03T08:51:02.123456Z',
      flow_run_id: flowRunId,
      task_run_id: taskRunId,
    });
  });

  it('filters by level, timestamp, run ids and text, with sort, limit and offset', async () => {
    await seed();
    expect(await filter({ logs: { level: { ge_: 30 } } })).toEqual(['result is 5', 'Connection timeout to db']);
    expect(await filter({ logs: { level: { ge_: -100_000, le_: 2 ** 40 } } })).toHaveLength(4);
    expect(await filter({ logs: { level: { le_: 20 } }, sort: 'TIMESTAMP_DESC' })).toEqual([
      'adding 2 and 3',
      'Beginning flow run',
    ]);
    expect(
      await filter({
        logs: { timestamp: { after_: '2026-12-03T08:51:02.123456Z', before_: '2026-12-03T10:51:03.2+02:00' } },
      }),
    ).toEqual(['adding 2 and 3', 'result is 5']);
    expect(await filter({ logs: { flow_run_id: { any_: [flowRunId] }, task_run_id: { is_null_: true } } })).toEqual([
      'Beginning flow run',
      'result is 5',
    ]);
    expect(await filter({ logs: { task_run_id: { any_: [taskRunId] } } })).toEqual(['adding 2 and 3']);
    expect(await filter({ logs: { flow_run_id: { any_: [] } } })).toEqual([]);
    expect(await filter({ logs: { text: { query: 'RESULT "connection timeout"' } } })).toEqual([
      'result is 5',
      'Connection timeout to db',
    ]);
    // The logger name is searched too; -term excludes, +term requires.
    expect(await filter({ logs: { text: { query: 'task_runs' } } })).toEqual(['adding 2 and 3']);
    expect(await filter({ logs: { text: { query: 'prefect -flow_runs' } } })).toEqual(['adding 2 and 3']);
    expect(await filter({ logs: { text: { query: '+is +5' } } })).toEqual(['result is 5']);
    expect(await filter({ logs: { operator: 'or_', level: { ge_: 40 }, task_run_id: { any_: [taskRunId] } } })).toEqual(
      ['adding 2 and 3', 'Connection timeout to db'],
    );
    expect(await filter({ limit: 2, offset: 1 })).toEqual(['adding 2 and 3', 'result is 5']);
  });

  it('rejects bad input with Prefect-shaped errors and stores nothing', async () => {
    const bad = await t.http
      .post('/api/logs/')
      .send([line('ok', 20, 1), { ...line('x', 20, 2), level: 'high', worker_id: randomUUID() }, { name: 'n' }])
      .expect(422);
    const errors = bad.body.exception_detail.map((e: { type: string; loc: unknown[] }) => [e.type, e.loc]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['int_parsing', ['body', 1, 'level']],
        ['extra_forbidden', ['body', 1, 'worker_id']],
        ['missing', ['body', 2, 'message']],
        ['missing', ['body', 2, 'timestamp']],
      ]),
    );
    expect((await t.http.post('/api/logs/').send({ name: 'x' }).expect(422)).body.exception_detail[0]).toMatchObject({
      type: 'list_type',
      loc: ['body'],
    });
    await t.http.post('/api/logs/').send([]).expect(201);
    expect(await filter({})).toEqual([]);

    expect((await t.http.post('/api/logs/filter').send({ limit: 201 }).expect(422)).body).toEqual({
      detail: 'Invalid limit: must be less than or equal to 200.',
    });
    const badFilter = await t.http
      .post('/api/logs/filter')
      .send({ logs: { text: { query: 'x'.repeat(201) }, level: { ge_: 'a' }, name: {} }, sort: 'NAME_ASC' })
      .expect(422);
    expect(badFilter.body.exception_detail.map((e: { type: string }) => e.type).sort()).toEqual([
      'enum',
      'extra_forbidden',
      'int_parsing',
      'string_too_long',
    ]);
  });

  it('drops NUL characters as Prefect does, and keeps percent signs literal in what it stores', async () => {
    await t.http
      .post('/api/logs/')
      .send([line('a\u0000b 100%', 20, 1)])
      .expect(201);
    expect(await filter({})).toEqual(['ab 100%']);
  });

  it('accepts a batch larger than BODY_LIMIT, as the client batches up to 4 MB', async () => {
    const big = Array.from({ length: 3 }, (_, i) => line('y'.repeat(500_000), 20, i));
    await t.http.post('/api/logs/').send(big).expect(201);
    expect((await t.sql.query('SELECT count(*) FROM log')).rows[0].count).toBe('3');
  });
});
