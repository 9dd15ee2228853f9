/** Concurrency over HTTP: races on one name, on one flow, and two app instances migrating one fresh database. */
import { migrationsList } from '../../src/database/migrations';
import { AppUnderTest, connect, startAppOn } from '../support/reliability';
import { startTestApp, TestContext } from '../support/test-app';
import { recreateDatabase } from '../support/test-database';

describe('concurrency', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.truncate());

  const create = (body: object) =>
    t.http
      .post('/api/flows/')
      .send(body)
      .then((r) => r);

  it('20 parallel creates of one name: exactly one 201, the rest 200 with the same flow', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => create({ name: 'contended', tags: [`t${i}`] })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(19).fill(200), 201]);
    const winner = responses.find((r) => r.status === 201)!.body;
    for (const r of responses) expect(r.body).toEqual(winner);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM flow')).rows[0].n).toBe(1);
  });

  it('parallel PATCH and DELETE of one flow: only 204/404, one delete wins, the flow is gone', async () => {
    for (let round = 0; round < 5; round++) {
      const flow = (await create({ name: `victim-${round}` })).body;
      const patches = Array.from({ length: 10 }, (_, i) =>
        t.http
          .patch(`/api/flows/${flow.id}`)
          .send({ tags: [`p${i}`] })
          .then((r) => r),
      );
      const deletes = Array.from({ length: 5 }, () => t.http.delete(`/api/flows/${flow.id}`).then((r) => r));
      const [patched, deleted] = await Promise.all([Promise.all(patches), Promise.all(deletes)]);
      for (const r of [...patched, ...deleted]) expect([204, 404]).toContain(r.status);
      for (const r of [...patched, ...deleted].filter((x) => x.status === 404))
        expect(r.body).toEqual({ detail: 'Flow not found' });
      expect(deleted.filter((r) => r.status === 204)).toHaveLength(1);
      expect((await t.http.get(`/api/flows/${flow.id}`)).status).toBe(404);
    }
    expect((await t.sql.query('SELECT count(*)::int AS n FROM flow')).rows[0].n).toBe(0);
  });

  it('parallel PATCHes of one flow: all 204, the stored tags are exactly one of the requests', async () => {
    const flow = (await create({ name: 'patched' })).body;
    const sent = Array.from({ length: 15 }, (_, i) => [`a${i}`, `b${i}`]);
    const responses = await Promise.all(
      sent.map((tags) =>
        t.http
          .patch(`/api/flows/${flow.id}`)
          .send({ tags })
          .then((r) => r),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(15).fill(204));
    const stored = (await t.http.get(`/api/flows/${flow.id}`)).body;
    expect(sent).toContainEqual(stored.tags);
    expect(stored.created).toBe(flow.created);
    expect(stored.updated >= flow.updated).toBe(true);
  });

  describe('two app instances started at the same moment on one fresh database', () => {
    let apps: AppUnderTest[] = [];
    afterAll(async () => {
      for (const a of apps) await a.close();
    });

    it('apply each migration exactly once, then share the work', async () => {
      const url = await recreateDatabase(
        process.env.TEST_PG_SERVER_URL as string,
        `flow_registry_test_twins_${process.env.JEST_WORKER_ID}`,
      );
      apps = await Promise.all([0, 1].map(() => startAppOn({ databaseUrl: url, overrides: { migrateOnStart: true } })));
      for (const a of apps) expect((await a.http.get('/api/ready')).status).toBe(200);

      const sql = await connect(url);
      try {
        const { rows } = await sql.query('SELECT name FROM mikro_orm_migrations ORDER BY id');
        expect(rows.map((r) => r.name)).toEqual(migrationsList.map((m) => m.name));

        // Distinct names spread over both instances, plus one name raced from both.
        const distinct = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            apps[i % 2].http
              .post('/api/flows/')
              .send({ name: `twin-${i}` })
              .then((r) => r),
          ),
        );
        expect(distinct.map((r) => r.status)).toEqual(Array(20).fill(201));
        const raced = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            apps[i % 2].http
              .post('/api/flows/')
              .send({ name: 'shared' })
              .then((r) => r),
          ),
        );
        expect(raced.filter((r) => r.status === 201)).toHaveLength(1);
        expect(new Set(raced.map((r) => r.body.id)).size).toBe(1);

        // Each instance reads what the other wrote.
        for (const [i, r] of distinct.entries()) {
          expect((await apps[(i + 1) % 2].http.get(`/api/flows/${r.body.id}`)).body).toEqual(r.body);
        }
        expect((await sql.query('SELECT count(*)::int AS n FROM flow')).rows[0].n).toBe(21);
      } finally {
        await sql.end();
      }
    }, 60_000);
  });
});
