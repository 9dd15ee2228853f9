/**
 * The pool's bulkhead (DB_HEAVY_MAX): heavy queries (filters, counts, paginate) may hold only their share of the
 * connections, so point queries keep answering while slow filters pile up. The filters are made slow for certain
 * by a lock on a table only they read (deployment), not by data size, so the test is bounded on a busy machine.
 */
import { Client } from 'pg';
import {
  appBackends,
  AppUnderTest,
  connect,
  SERVICE_UNAVAILABLE,
  startAppOn,
  timed,
  waitForLockWaiters,
} from '../support/reliability';
import { TABLES } from '../support/test-database';

jest.setTimeout(90_000);

describe('pool bulkhead: heavy queries cannot starve point queries', () => {
  let a: AppUnderTest;
  let locker: Client;
  let observer: Client;

  beforeAll(async () => {
    a = await startAppOn({
      overrides: { dbPoolMax: 10, dbHeavyMax: 4, dbAcquireTimeoutMs: 3_000, dbStatementTimeoutMs: 30_000 },
    });
    locker = await connect(a.databaseUrl);
    observer = await connect(a.databaseUrl);
    await observer.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
  });

  afterAll(async () => {
    await locker.end();
    await observer.end();
    await a.close();
  });

  it('while 40 slow filters, counts and pages saturate their share, point reads and writes answer promptly', async () => {
    const flow = (await a.http.post('/api/flows/').send({ name: 'point' })).body;
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE deployment IN ACCESS EXCLUSIVE MODE');

    const slowFilter = { deployments: { id: { any_: ['5f0a5d43-8f5b-4a63-a3d4-2b4d8f7f3a11'] } } };
    const heavy = Array.from({ length: 40 }, (_, i) =>
      timed(
        a.http
          .post(['/api/flows/filter', '/api/flows/count', '/api/flows/paginate'][i % 3])
          .send(slowFilter)
          .then((r) => r),
      ),
    );
    // The heavy lane is full: exactly its share of connections waits on the lock.
    await waitForLockWaiters(observer, 4, 10_000);

    const point: { status: number; ms: number }[] = [];
    const started = Date.now();
    const worker = async (w: number) => {
      for (let n = 0; Date.now() - started < 4_000; n++) {
        const call = [
          () => a.http.get(`/api/flows/${flow.id}`),
          () => a.http.get('/api/flows/name/point'),
          () => a.http.post('/api/flows/').send({ name: `point-${w}-${n}` }),
          () => a.http.patch(`/api/flows/${flow.id}`).send({ tags: [`t${n}`] }),
        ][n % 4];
        const { result, ms } = await timed(call().then((r) => r));
        point.push({ status: result.status, ms });
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    expect(point.length).toBeGreaterThanOrEqual(20);
    expect(point.filter((p) => ![200, 201, 204].includes(p.status))).toEqual([]);
    // Well under the 3 s a request waits for a connection before answering 503.
    expect(Math.max(...point.map((p) => p.ms))).toBeLessThan(2_500);
    expect((await appBackends(observer)).filter((b) => b.wait_event_type === 'Lock')).toHaveLength(4);

    await locker.query('ROLLBACK');
    const results = await Promise.all(heavy);
    const statuses = results.map((r) => r.result.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    // Those that waited past DB_ACQUIRE_TIMEOUT_MS for a place got a retryable answer, not a hang.
    for (const r of results.filter((x) => x.result.status === 503)) {
      expect(r.result.body).toEqual(SERVICE_UNAVAILABLE);
      expect(r.result.headers['retry-after']).toMatch(/^\d+$/);
    }
    expect(statuses).toContain(503);
    expect(statuses).toContain(200);
    expect(a.logs.filter((line) => /unhandled error|"status":500/.test(line))).toEqual([]);
    // And once the lock is gone, filters run again.
    expect((await a.http.post('/api/flows/count').send(slowFilter)).body).toBe(0);
  });
});
