import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import fixture from '../fixtures/prefect-client-events.json';
import { Client } from 'pg';
import { startTestApp, TestContext } from '../support/test-app';
import { AppUnderTest, connect, startAppOn } from '../support/reliability';
import { TABLES } from '../support/test-database';

/** A client speaking Prefect's events protocol, as prefect.events.clients.PrefectEventsClient does. */
class EventsClient {
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly messages: string[] = [];
  private waiting?: (m: string) => void;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = (data as Buffer).toString('utf8');
      if (this.waiting) this.waiting(text);
      else this.messages.push(text);
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(port: number, options: WebSocket.ClientOptions = {}, protocols: string[] = ['prefect']) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events/in`, protocols, options);
    return new Promise<EventsClient>((resolve, reject) => {
      ws.once('open', () => resolve(new EventsClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  next(): Promise<string> {
    const queued = this.messages.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => (this.waiting = (m) => ((this.waiting = undefined), resolve(m))));
  }

  async auth(token: string | null = null): Promise<unknown> {
    this.ws.send(JSON.stringify({ type: 'auth', token }));
    return JSON.parse(await this.next());
  }

  send(frame: string | Buffer): void {
    this.ws.send(frame);
  }

  /** The client's checkpoint: a pong means every frame sent before the ping was handled. */
  checkpoint(): Promise<void> {
    return new Promise((resolve) => {
      this.ws.once('pong', () => resolve());
      this.ws.ping();
    });
  }

  close(): void {
    this.ws.close();
  }
}

describe('events websocket (/api/events/in)', () => {
  let t: TestContext;
  let port: number;
  let flowRunId: string;
  let flowId: string;
  const frames = fixture.frames;
  const taskRunId = fixture.task_run_id;
  // The captured frames, pointed at a flow run of this test's database.
  const event = (i: number) => frames[i].split(fixture.flow_run_id).join(flowRunId).split(fixture.flow_id).join(flowId);
  const [AUTH, HEARTBEAT, PENDING, RUNNING, COMPLETED] = [0, 1, 2, 3, 4];

  beforeAll(async () => {
    t = await startTestApp();
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.truncate();
    const flow = await t.http.post('/api/flows/').send({ name: 'hello-flow', labels: { team: 'data' } });
    flowId = flow.body.id;
    flowRunId = (await t.http.post('/api/flow_runs/').send({ flow_id: flowId, labels: { env: 'test' } })).body.id;
  });

  const connect = async () => {
    const client = await EventsClient.open(port);
    expect(await client.auth()).toEqual({ type: 'auth_success' });
    return client;
  };
  const states = async (id: string) =>
    (
      await t.sql.query<{ id: string; type: string }>(
        'SELECT id, type FROM task_run_state WHERE task_run_id = $1 ORDER BY timestamp',
        [id],
      )
    ).rows;
  const taskRunCount = async () => Number((await t.sql.query('SELECT count(*) FROM task_run')).rows[0].count);

  it('answers the auth message the client sends first', async () => {
    expect(JSON.parse(frames[AUTH])).toEqual({ type: 'auth', token: null });
    const client = await EventsClient.open(port);
    client.send(frames[AUTH]);
    expect(JSON.parse(await client.next())).toEqual({ type: 'auth_success' });
    client.close();
  });

  it('closes with 1008 when the first message is not the auth message', async () => {
    const client = await EventsClient.open(port);
    client.send(event(PENDING));
    expect(await client.closed).toEqual({ code: 1008, reason: "Expected 'auth' message" });
    expect(await taskRunCount()).toBe(0);
  });

  it("records the client's task run events as a task run with its states", async () => {
    const client = await connect();
    for (const i of [HEARTBEAT, PENDING, RUNNING, COMPLETED]) client.send(event(i));
    await client.checkpoint();
    client.close();

    const run = (await t.http.get(`/api/task_runs/${taskRunId}`).expect(200)).body;
    const completed = JSON.parse(event(COMPLETED));
    expect(run).toMatchObject({
      id: taskRunId,
      flow_run_id: flowRunId,
      name: 'add-4a6',
      task_key: 'add-1b8492a5',
      state_type: 'COMPLETED',
      state_name: 'Completed',
      state_id: completed.id,
      run_count: 1,
      flow_run_run_count: 1,
      start_time: '2026-12-03T08:51:40.042486Z',
      end_time: '2026-12-03T08:51:40.077280Z',
      expected_start_time: '2026-12-03T08:51:40.040892Z',
      total_run_time: 0.034794,
      task_inputs: { x: [], y: [] },
      // As for task runs created over REST: the flow run's labels, then its id.
      labels: { team: 'data', 'prefect.flow.id': flowId, env: 'test', 'prefect.flow-run.id': flowRunId },
    });
    expect(run.state).toMatchObject({
      id: completed.id,
      type: 'COMPLETED',
      timestamp: '2026-12-03T08:51:40.077280Z',
      state_details: { flow_run_id: flowRunId, task_run_id: taskRunId, untrackable_result: true },
    });
    expect((await states(taskRunId)).map((s) => s.type)).toEqual(['PENDING', 'RUNNING', 'COMPLETED']);
    // The heartbeat is accepted and dropped.
    expect(await taskRunCount()).toBe(1);
  });

  it('keeps the newest state when events arrive out of order, and records each state once', async () => {
    const client = await connect();
    for (const i of [COMPLETED, PENDING, RUNNING, RUNNING, COMPLETED, PENDING]) client.send(event(i));
    await client.checkpoint();
    client.close();

    const run = (await t.http.get(`/api/task_runs/${taskRunId}`).expect(200)).body;
    expect(run).toMatchObject({ state_type: 'COMPLETED', end_time: '2026-12-03T08:51:40.077280Z', run_count: 1 });
    expect((await states(taskRunId)).map((s) => s.type)).toEqual(['PENDING', 'RUNNING', 'COMPLETED']);
  });

  it('updates a task run created over REST with the same keys', async () => {
    const pending = JSON.parse(event(PENDING));
    const created = await t.http
      .post('/api/task_runs/')
      .send({ flow_run_id: flowRunId, task_key: 'add-1b8492a5', dynamic_key: pending.payload.task_run.dynamic_key })
      .expect(201);
    const client = await connect();
    // Older than the REST-made PENDING state: history only. Newer: it becomes the run's state.
    client.send(event(RUNNING));
    const later = JSON.parse(event(COMPLETED));
    later.occurred = new Date(Date.now() + 60_000).toISOString();
    client.send(JSON.stringify(later));
    await client.checkpoint();
    client.close();
    const run = (await t.http.get(`/api/task_runs/${created.body.id}`).expect(200)).body;
    expect(run.state_type).toBe('COMPLETED');
    expect(run.state_id).toBe(later.id);
    expect((await states(created.body.id)).map((s) => s.type)).toEqual(['RUNNING', 'PENDING', 'COMPLETED']);
    expect(await taskRunCount()).toBe(1);
  });

  it('skips malformed frames, keeps the connection and loses nothing', async () => {
    const client = await connect();
    client.send(event(PENDING));
    client.send('not json');
    client.send('{"event": "prefect.task-run.Running"}');
    client.send(Buffer.from([1, 2, 3]));
    client.send(event(RUNNING).replace('"type":"RUNNING"', '"type":"SLEEPING"'));
    client.send(event(RUNNING));
    await client.checkpoint();
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.close();
    expect((await states(taskRunId)).map((s) => s.type)).toEqual(['PENDING', 'RUNNING']);
  });

  it('discards an event whose flow run does not exist, and goes on', async () => {
    const client = await connect();
    client.send(event(PENDING).split(flowRunId).join(randomUUID()));
    client.send(event(RUNNING));
    await client.checkpoint();
    client.close();
    expect((await states(taskRunId)).map((s) => s.type)).toEqual(['RUNNING']);
  });

  it('answers 404 for another websocket path', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events/out`, ['prefect']);
    const status = await new Promise((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    expect(status).toBe(404);
  });
});

describe('events websocket limits and auth', () => {
  let t: TestContext;
  let port: number;
  let flowRunId: string;
  const event = (i: number) => fixture.frames[i].split(fixture.flow_run_id).join(flowRunId);
  const auth = Buffer.from('user:secret').toString('base64');

  beforeAll(async () => {
    t = await startTestApp({ eventsMaxFrameBytes: 4096, apiAuthString: 'user:secret' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.truncate();
    await t.sql.query(`INSERT INTO flow (id, name) VALUES ($1, 'f')`, [fixture.flow_id]);
    flowRunId = randomUUID();
    await t.sql.query(`INSERT INTO flow_run (id, flow_id, name) VALUES ($1, $2, 'r')`, [flowRunId, fixture.flow_id]);
  });

  const open = () => EventsClient.open(port, { headers: { authorization: `Basic ${auth}` } });

  it('refuses the upgrade without basic auth credentials', async () => {
    await expect(EventsClient.open(port)).rejects.toThrow('HTTP 401');
    await expect(
      EventsClient.open(port, { headers: { authorization: `Basic ${Buffer.from('user:wrong').toString('base64')}` } }),
    ).rejects.toThrow('HTTP 401');
  });

  it('checks the token of the auth message as Prefect does', async () => {
    const ok = await open();
    expect(await ok.auth('user:secret')).toEqual({ type: 'auth_success' });
    ok.close();
    const wrong = await open();
    wrong.send(JSON.stringify({ type: 'auth', token: 'user:guess' }));
    expect(await wrong.closed).toEqual({ code: 1008, reason: 'Invalid token' });
    const none = await open();
    none.send(JSON.stringify({ type: 'auth', token: null }));
    expect(await none.closed).toEqual({ code: 1008, reason: 'Auth required but no token provided' });
    const legacy = await EventsClient.open(port, { headers: { authorization: `Basic ${auth}` } }, []);
    expect((await legacy.closed).code).toBe(1002);
  });

  it('closes a connection that sends a frame over the limit, after storing what came before', async () => {
    const other = await open();
    await other.auth('user:secret');
    const client = await open();
    await client.auth('user:secret');
    client.send(event(2));
    client.send(JSON.stringify({ padding: 'x'.repeat(5000) }));
    expect((await client.closed).code).toBe(1009);
    // The other connection is untouched.
    other.send(event(3));
    await other.checkpoint();
    other.close();
    const rows = await t.sql.query('SELECT type FROM task_run_state WHERE task_run_id = $1 ORDER BY timestamp', [
      fixture.task_run_id,
    ]);
    expect(rows.rows.map((r) => r.type)).toEqual(['PENDING', 'RUNNING']);
  });
});

describe('events websocket under database trouble and shutdown', () => {
  let a: AppUnderTest;
  let sql: Client;
  let flowRunId: string;
  const event = (i: number) => fixture.frames[i].split(fixture.flow_run_id).join(flowRunId);

  beforeEach(async () => {
    a = await startAppOn({ overrides: { dbStatementTimeoutMs: 500 } });
    sql = await connect(a.databaseUrl);
    await sql.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
    await sql.query(`INSERT INTO flow (id, name) VALUES ($1, 'f')`, [fixture.flow_id]);
    flowRunId = randomUUID();
    await sql.query(`INSERT INTO flow_run (id, flow_id, name) VALUES ($1, $2, 'r')`, [flowRunId, fixture.flow_id]);
  });
  afterEach(async () => {
    await sql.end();
    await a.close();
  });
  const port = () => (a.app.getHttpServer().address() as AddressInfo).port;

  it('closes with 1013 and confirms nothing when the database fails; a reconnect that resends loses nothing', async () => {
    const client = await EventsClient.open(port());
    await client.auth();
    await sql.query('BEGIN; LOCK TABLE task_run IN ACCESS EXCLUSIVE MODE');
    let ponged = false;
    client.ws.once('pong', () => (ponged = true));
    client.send(event(2));
    client.ws.ping();
    expect(await client.closed).toEqual({ code: 1013, reason: 'Database unavailable, try again later' });
    expect(ponged).toBe(false);
    await sql.query('ROLLBACK');

    // As Prefect's client does: reconnect and send the unconfirmed events again.
    const again = await EventsClient.open(port());
    await again.auth();
    again.send(event(2));
    again.send(event(3));
    await again.checkpoint();
    again.close();
    const states = await sql.query('SELECT type FROM task_run_state ORDER BY timestamp');
    expect(states.rows.map((r) => r.type)).toEqual(['PENDING', 'RUNNING']);
  });

  it('on shutdown, stores what it received and then closes open connections with 1001', async () => {
    const client = await EventsClient.open(port());
    await client.auth();
    client.send(event(2));
    await client.checkpoint();
    client.send(event(3));
    const closing = a.close();
    expect((await client.closed).code).toBe(1001);
    await closing;
    const states = await sql.query('SELECT type FROM task_run_state ORDER BY timestamp');
    expect(states.rows.map((r) => r.type)).toEqual(['PENDING', 'RUNNING']);
    a = await startAppOn();
  });
});
