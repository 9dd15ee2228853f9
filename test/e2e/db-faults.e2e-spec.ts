/**
 * Database faults, for real: each test starts a PostgreSQL of its own and stops, restarts, locks or starves it
 * while the app serves requests. The app must answer 503 JSON (never 500, never hang past its timeouts) and
 * recover by itself.
 */
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import {
  APP_CONNECTION_NAME,
  appBackends,
  AppUnderTest,
  connect,
  PrivatePostgres,
  SERVICE_UNAVAILABLE,
  sleep,
  startAppOn,
  timed,
  waitFor,
  waitForLockWaiters,
} from '../support/reliability';
import { AppConfig } from '../../src/config/app-config';

// Generous: the machine these run on may be shared; every wait inside a test has its own, tighter bound.
jest.setTimeout(90_000);

/** Short timeouts so that each fault resolves in well under a second. */
const FAST_FAIL: Partial<AppConfig> = {
  dbConnectTimeoutMs: 1_000,
  dbAcquireTimeoutMs: 1_000,
  dbStatementTimeoutMs: 2_000,
};
/** The longest a request may take under FAST_FAIL: acquire (includes connecting) + statement + backstop, with slack. */
const FAST_FAIL_BOUND_MS = 5_000;

describe('database faults', () => {
  let pg: PrivatePostgres;
  const apps: AppUnderTest[] = [];
  const clients: Client[] = [];

  async function app(overrides: Partial<AppConfig>): Promise<AppUnderTest> {
    const started = await startAppOn({ databaseUrl: pg.url, overrides });
    apps.push(started);
    return started;
  }

  async function client(): Promise<Client> {
    const c = await connect(pg.url);
    c.on('error', () => undefined); // a restart of the server ends this session too
    clients.push(c);
    return c;
  }

  /** A running server with the schema in place (migrated by a short-lived app with default timeouts). */
  async function startMigrated(): Promise<void> {
    await pg.start();
    const migrator = await startAppOn({ databaseUrl: pg.url, overrides: { migrateOnStart: true } });
    await migrator.close();
  }

  /** Driver and ORM messages (connection errors, migrations) must go through the app's logger, never console. */
  let consoleLog: jest.SpyInstance;

  beforeEach(async () => {
    pg = await PrivatePostgres.create();
    consoleLog = jest.spyOn(console, 'log');
  });

  afterAll(() => PrivatePostgres.removeTemplate());

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.end().catch(() => undefined);
    for (const a of apps.splice(0)) await a.close().catch(() => undefined);
    await pg.destroy();
    const strayLines = consoleLog.mock.calls.map((args) => String(args[0]));
    consoleLog.mockRestore();
    expect(strayLines).toEqual([]);
  });

  const createFlow = (a: AppUnderTest, name: string) => a.http.post('/api/flows/').send({ name });
  /** Log lines of a bug: a 500 or an unhandled error with its stack. */
  const bugs = (a: AppUnderTest) => a.logs.filter((line) => /unhandled error|"status":500/.test(line));

  it('starts while the database is down (health 200, ready 503, API 503 at once) and recovers without a restart', async () => {
    const migrating = await app({ ...FAST_FAIL, migrateOnStart: true });
    const plain = await app({ ...FAST_FAIL, migrateOnStart: false });

    expect((await migrating.http.get('/api/health')).status).toBe(200);
    const ready = await migrating.http.get('/api/ready');
    // terminus's report, with the exception_message every 503 here carries.
    expect([ready.status, ready.body]).toEqual([
      503,
      expect.objectContaining({
        ...SERVICE_UNAVAILABLE,
        status: 'error',
        error: {
          migrations: { status: 'down', message: 'not applied yet' },
          database: { status: 'down', message: 'not reachable or read-only' },
        },
      }),
    ]);
    expect(ready.headers['retry-after']).toBe('1');

    const someId = '5f0a5d43-8f5b-4a63-a3d4-2b4d8f7f3a11';
    for (const a of [migrating, plain]) {
      for (const call of [
        () => createFlow(a, 'down'),
        () => a.http.get(`/api/flows/${someId}`),
        () => a.http.get('/api/flows/name/down'),
        () => a.http.patch(`/api/flows/${someId}`).send({ tags: [] }),
        () => a.http.delete(`/api/flows/${someId}`),
      ]) {
        const { result: res, ms } = await timed(call());
        expect([res.status, res.body]).toEqual([503, SERVICE_UNAVAILABLE]);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.headers['retry-after']).toBe('1');
        expect(ms).toBeLessThan(FAST_FAIL.dbConnectTimeoutMs! + 500);
      }
    }

    await pg.start();
    // The migrating app retries in the background (backoff capped at 5 s) and becomes ready on its own.
    await waitFor(
      'readiness after the database came up',
      async () => (await migrating.http.get('/api/ready')).status === 200,
      12_000,
      200,
    );
    const created = await createFlow(migrating, 'after-recovery');
    expect(created.status).toBe(201);
    // The app without MIGRATE_ON_START was never restarted either: its pool simply connects now.
    expect((await plain.http.get(`/api/flows/${created.body.id}`)).body).toEqual(created.body);
    expect((await plain.http.get('/api/ready')).status).toBe(200);

    const sql = await client();
    const { rows } = await sql.query('SELECT name FROM mikro_orm_migrations');
    expect(rows.length).toBeGreaterThan(0);
  });

  it('survives a database restart under traffic: 503 or success, never 500 or a hang; nothing acknowledged is lost', async () => {
    await startMigrated();
    const a = await app(FAST_FAIL);
    const seed = (await createFlow(a, 'seed')).body;

    interface Outcome {
      status: number;
      body: unknown;
      ms: number;
      id?: string;
    }
    const outcomes: Outcome[] = [];
    let running = true;
    let serial = 0;
    const worker = async (w: number) => {
      while (running) {
        const n = serial++;
        const call =
          n % 3 === 0
            ? createFlow(a, `traffic-${w}-${n}`)
            : n % 3 === 1
              ? a.http.get(`/api/flows/${seed.id}`)
              : a.http.patch(`/api/flows/${seed.id}`).send({ tags: [`t${n}`] });
        const { result: res, ms } = await timed(call);
        outcomes.push({ status: res.status, body: res.body, ms, id: res.status === 201 ? res.body.id : undefined });
        if (res.status === 503) await sleep(20); // a client backing off; keeps the loop from spinning
      }
    };
    const traffic = Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));

    await sleep(500);
    await pg.stop();
    await sleep(1_000);
    await pg.start();
    const restartedAt = new Date();
    await waitFor(
      'a successful request after the restart',
      async () => (await a.http.get(`/api/flows/${seed.id}`)).status === 200,
      10_000,
    );
    await sleep(500);
    running = false;
    await traffic;

    const statuses = new Set(outcomes.map((o) => o.status));
    expect([...statuses].filter((s) => ![200, 201, 204, 503].includes(s))).toEqual([]);
    expect(statuses).toContain(503); // the fault was really observed
    for (const o of outcomes.filter((x) => x.status === 503)) expect(o.body).toEqual(SERVICE_UNAVAILABLE);
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(FAST_FAIL_BOUND_MS);

    // Later requests succeed, one after another, on fresh connections only.
    for (let i = 0; i < 10; i++) expect((await a.http.get(`/api/flows/${seed.id}`)).status).toBe(200);
    const sql = await client();
    for (const backend of await appBackends(sql))
      expect(backend.backend_start.getTime()).toBeGreaterThanOrEqual(restartedAt.getTime() - 1_000);

    // Every create that was acknowledged with 201 is stored.
    const acknowledged = outcomes.flatMap((o) => (o.id ? [o.id] : []));
    expect(acknowledged.length).toBeGreaterThan(0);
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM flow WHERE id = ANY($1::uuid[])', [acknowledged]);
    expect(rows[0].n).toBe(acknowledged.length);
  });

  it('discards pooled connections broken by a restart: the first requests afterwards succeed', async () => {
    await startMigrated();
    const a = await app(FAST_FAIL);
    const flow = (await createFlow(a, 'idle-pool')).body;
    // Fill the pool with several idle connections.
    await Promise.all(Array.from({ length: 4 }, () => a.http.get(`/api/flows/${flow.id}`)));

    await pg.stop();
    await pg.start();

    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await a.http.get(`/api/flows/${flow.id}`)).status);
    expect(statuses).toEqual(Array(8).fill(200));
  });

  it('answers 503 within the acquire timeout when the pool is exhausted, then serves again', async () => {
    await startMigrated();
    const acquireMs = 500;
    const a = await app({ dbPoolMax: 2, dbAcquireTimeoutMs: acquireMs, dbStatementTimeoutMs: 10_000 });
    const flow = (await createFlow(a, 'pool')).body;

    const locker = await client();
    const observer = await client();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE flow IN ACCESS EXCLUSIVE MODE');
    // Two requests take both pooled connections and wait on the lock.
    const held = [0, 1].map((i) =>
      a.http
        .patch(`/api/flows/${flow.id}`)
        .send({ tags: [`held-${i}`] })
        .then((r) => r),
    );
    await waitForLockWaiters(observer, 2);

    for (const call of [
      () => a.http.get(`/api/flows/${flow.id}`),
      () => createFlow(a, 'starved'),
      () => a.http.get('/api/ready'),
    ]) {
      const { result: res, ms } = await timed(call());
      // /api/ready adds terminus's report (database down) beside exception_message.
      expect([res.status, res.body]).toEqual([503, expect.objectContaining(SERVICE_UNAVAILABLE)]);
      expect(res.headers['retry-after']).toBe('1');
      expect(ms).toBeGreaterThanOrEqual(acquireMs - 50);
      expect(ms).toBeLessThan(acquireMs + 1_000);
    }

    await locker.query('ROLLBACK');
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([204, 204]);
    expect((await a.http.get(`/api/flows/${flow.id}`)).status).toBe(200);
    expect((await createFlow(a, 'fed')).status).toBe(201);
  });

  it('answers 503 for a statement past the statement timeout and reuses the connection afterwards', async () => {
    await startMigrated();
    const statementMs = 300;
    const a = await app({ dbPoolMax: 1, dbStatementTimeoutMs: statementMs });
    const flow = (await createFlow(a, 'slow')).body;
    const observer = await client();
    const [connection] = await appBackends(observer);

    const locker = await client();
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM flow WHERE id = $1 FOR UPDATE', [flow.id]);

    const { result: res, ms } = await timed(
      a.http
        .patch(`/api/flows/${flow.id}`)
        .send({ tags: ['late'] })
        .then((r) => r),
    );
    expect([res.status, res.body]).toEqual([503, SERVICE_UNAVAILABLE]);
    expect(ms).toBeGreaterThanOrEqual(statementMs - 50);
    expect(ms).toBeLessThan(statementMs + 1_500);
    // The same (only) connection serves the next request while the lock is still held...
    expect((await a.http.get(`/api/flows/${flow.id}`)).body.tags).toEqual([]);

    await locker.query('ROLLBACK');
    // ...and the write once it is released.
    expect((await a.http.patch(`/api/flows/${flow.id}`).send({ tags: ['on-time'] })).status).toBe(204);
    expect((await a.http.get(`/api/flows/${flow.id}`)).body.tags).toEqual(['on-time']);
    expect((await appBackends(observer)).map((b) => b.pid)).toEqual([connection.pid]);
  });

  it('a read-only database: writes 503 with Retry-After and ready 503; once writable, both recover within seconds', async () => {
    await startMigrated();
    const a = await app(FAST_FAIL);
    const flow = (await createFlow(a, 'before-read-only')).body;
    const admin = await client();
    // Sessions that start from now on refuse writes (SQLSTATE 25006), as after a failover to a standby.
    await admin.query(`ALTER DATABASE ${pg.database} SET default_transaction_read_only = on`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
      APP_CONNECTION_NAME,
    ]);
    // Several pooled sessions, all read-only now.
    await waitFor(
      'reads on fresh read-only sessions',
      async () =>
        (await Promise.all(Array.from({ length: 4 }, () => a.http.get(`/api/flows/${flow.id}`)))).every(
          (r) => r.status === 200,
        ),
      10_000,
    );

    for (let i = 0; i < 3; i++) {
      const res = await createFlow(a, `refused-${i}`);
      expect([res.status, res.body]).toEqual([503, SERVICE_UNAVAILABLE]);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      const patch = await a.http.patch(`/api/flows/${flow.id}`).send({ tags: ['refused'] });
      expect(patch.status).toBe(503);
      expect((await a.http.get('/api/ready')).status).toBe(503);
    }
    expect((await a.http.get(`/api/flows/${flow.id}`)).status).toBe(200);

    // Fixed: the setting is gone, but the pooled sessions started read-only and stay so until they are replaced.
    await admin.query(`ALTER DATABASE ${pg.database} RESET default_transaction_read_only`);
    const fixedAt = Date.now();
    await waitFor(
      'readiness once the database is writable',
      async () => (await a.http.get('/api/ready')).status === 200,
      10_000,
    );
    let created;
    for (let attempt = 0; ; attempt++) {
      created = await createFlow(a, 'after-read-only');
      // Each stale session can fail one write at most: it is discarded when it does.
      if (created.status !== 503 || attempt > 10) break;
    }
    expect(created.status).toBe(201);
    // Seconds, not the 30 s idle timeout that used to replace the read-only sessions.
    expect(Date.now() - fixedAt).toBeLessThan(10_000);
    expect((await a.http.patch(`/api/flows/${flow.id}`).send({ tags: ['writable'] })).status).toBe(204);
    for (let i = 0; i < 5; i++) expect((await createFlow(a, `writable-${i}`)).status).toBe(201);
    expect(bugs(a)).toEqual([]);
  });

  it('a statement the driver times out: 503, its connection destroyed and the statement cancelled on the server', async () => {
    await startMigrated();
    const queryTimeoutMs = 500;
    // The server-side timeout is far away: only the driver's backstop can end the wait.
    const a = await app({ dbPoolMax: 1, dbStatementTimeoutMs: 30_000, dbQueryTimeoutMs: queryTimeoutMs });
    const flow = (await createFlow(a, 'stuck')).body;
    const observer = await client();
    const locker = await client();
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM flow WHERE id = $1 FOR UPDATE', [flow.id]);

    const { result: res, ms } = await timed(
      a.http
        .patch(`/api/flows/${flow.id}`)
        .send({ tags: ['late'] })
        .then((r) => r),
    );
    expect([res.status, res.body]).toEqual([503, SERVICE_UNAVAILABLE]);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(ms).toBeGreaterThanOrEqual(queryTimeoutMs - 50);
    expect(ms).toBeLessThan(queryTimeoutMs + 3_000);
    // The lock is still held, yet the server no longer runs the UPDATE: it was cancelled, its session closed.
    await waitFor(
      'the timed-out statement to leave the server',
      async () => (await appBackends(observer)).every((b) => b.wait_event_type !== 'Lock'),
      8_000,
    );
    // The pool's only connection is a fresh one: the next point read does not queue behind the stuck statement.
    const read = await timed(a.http.get(`/api/flows/${flow.id}`).then((r) => r));
    expect(read.result.status).toBe(200);
    expect(read.result.body.tags).toEqual([]);
    expect(read.ms).toBeLessThan(3_000);

    await locker.query('ROLLBACK');
    expect((await a.http.patch(`/api/flows/${flow.id}`).send({ tags: ['on-time'] })).status).toBe(204);
    expect((await a.http.get(`/api/flows/${flow.id}`)).body.tags).toEqual(['on-time']);
    expect(bugs(a)).toEqual([]);
  });

  it('requests whose clients hang up: their statements are cancelled on the server and their connections freed', async () => {
    await startMigrated();
    // Warnings are kept: a deliberately closed connection must not produce one.
    const a = await app({ dbPoolMax: 6, dbStatementTimeoutMs: 30_000, logLevel: 'warn' });
    const flow = (await createFlow(a, 'abandoned')).body;
    const observer = await client();
    const locker = await client();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE flow IN ACCESS EXCLUSIVE MODE');

    const { port } = a.app.getHttpServer().address() as AddressInfo;
    const send = (method: string, path: string, body?: unknown) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { 'content-type': 'application/json' },
      });
      req.on('error', () => undefined);
      req.end(body === undefined ? undefined : JSON.stringify(body));
      return req;
    };
    const abandoned = [
      send('GET', `/api/flows/${flow.id}`),
      send('POST', '/api/flows/filter', {}),
      send('POST', '/api/flows/count', { flows: { name: { like_: 'ab' } } }),
      send('PATCH', `/api/flows/${flow.id}`, { tags: ['never'] }),
      send('POST', '/api/flows/', { name: 'never' }),
    ];
    await waitForLockWaiters(observer, abandoned.length, 10_000);
    for (const req of abandoned) req.destroy();
    const hungUpAt = Date.now();

    // With the lock still held, nothing of theirs keeps running on the server...
    await waitFor(
      'the abandoned statements to be cancelled',
      async () => (await appBackends(observer)).every((b) => b.wait_event_type !== 'Lock'),
      8_000,
    );
    // (Uncancelled, they would wait for the lock until the 30 s statement timeout.)
    expect(Date.now() - hungUpAt).toBeLessThan(8_000);
    await locker.query('ROLLBACK');
    // ...and the pool serves at once: no connection is left busy with them.
    const reads = await timed(Promise.all(Array.from({ length: 6 }, () => a.http.get(`/api/flows/${flow.id}`))));
    expect(reads.result.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(reads.ms).toBeLessThan(5_000);
    const { rows } = await observer.query('SELECT name, tags FROM flow ORDER BY name');
    expect(rows).toEqual([{ name: 'abandoned', tags: [] }]);
    expect(bugs(a)).toEqual([]);
    // The connections were closed on purpose: no "Connection Error" warning about them.
    expect(a.logs.filter((line) => /Connection Error/.test(line) && !/"level":"debug"/.test(line))).toEqual([]);
  });
});
