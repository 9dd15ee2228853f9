/**
 * Graceful shutdown of the real server process: SIGTERM lets the in-flight request finish, stops accepting
 * connections, closes the pool, exits 0 and leaves no database session behind.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { Socket, connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { APP_CONNECTION_NAME, appBackends, connect, sleep, waitFor, waitForLockWaiters } from '../support/reliability';
import { recreateDatabase, TEMPLATE_DB } from '../support/test-database';
import { processDatabase, startServerProcess } from '../support/server-process';

jest.setTimeout(150_000);

const ROOT = join(__dirname, '..', '..');

/** Resolves with the error code of a TCP connection attempt, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

/** Sends `data` on a new connection and leaves it open; resolves once connected (and, with a request, answered). */
function openSocket(port: number, data?: string, waitForAnswer = false): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      if (data) socket.write(data);
      if (!waitForAnswer) return resolve(socket);
      socket.once('data', () => resolve(socket));
    });
    socket.once('error', reject);
  });
}

describe('graceful shutdown (real server process)', () => {
  let server: ChildProcess | undefined;
  afterEach(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
  });

  it('SIGTERM: the in-flight request completes, new connections are refused, exit 0, no sessions left', async () => {
    const databaseUrl = await recreateDatabase(
      process.env.TEST_PG_SERVER_URL as string,
      `flow_registry_test_shutdown_${process.env.JEST_WORKER_ID}`,
      TEMPLATE_DB,
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api`;
    server = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        MIGRATE_ON_START: 'false',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'log',
        SHUTDOWN_TIMEOUT_MS: '10000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    let stdout = '';
    server.stdout!.on('data', (chunk) => (stdout += String(chunk)));
    server.stderr!.on('data', (chunk) => (stdout += String(chunk)));
    await waitFor('the server to answer /api/health', async () => (await fetch(`${base}/health`)).ok, 90_000, 200);

    const created = await fetch(`${base}/flows/`, {
      method: 'POST',
      body: JSON.stringify({ name: 'in-flight' }),
      headers: { 'content-type': 'application/json' },
    });
    const flow = (await created.json()) as { id: string };
    const locker = await connect(databaseUrl);
    const observer = await connect(databaseUrl);
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM flow WHERE id = $1 FOR UPDATE', [flow.id]);
      const inFlight = fetch(`${base}/flows/${flow.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ tags: ['finished'] }),
        headers: { 'content-type': 'application/json', connection: 'close' },
      });
      await waitForLockWaiters(observer, 1);

      server.kill('SIGTERM');
      await sleep(300);
      expect(server.exitCode).toBeNull(); // still draining
      expect(await tryConnect(port)).toBe('ECONNREFUSED');

      await sleep(700);
      await locker.query('ROLLBACK');
      const res = await inFlight;
      expect(res.status).toBe(204);
      expect(await exited).toBe(0);

      const stored = await observer.query('SELECT tags FROM flow WHERE id = $1', [flow.id]);
      expect(stored.rows[0].tags).toEqual(['finished']);
      // Sessions of this database named like the app's pool (other jest workers use other databases).
      await waitFor(
        `no '${APP_CONNECTION_NAME}' sessions left`,
        async () => (await appBackends(observer)).length === 0,
        5_000,
      );
    } finally {
      await locker.end();
      await observer.end();
    }

    // Every line the server wrote is one JSON object; none carries the database password.
    const lines = stdout.split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(stdout).not.toContain(new URL(databaseUrl).password + '@');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(
      expect.arrayContaining(['SIGTERM received: finishing in-flight requests', 'stopped cleanly']),
    );
  });

  it('SIGTERM with idle, half-sent and keep-alive connections open: closed at once, exit 0 well inside the timeout', async () => {
    const started = await startServerProcess({
      DATABASE_URL: await processDatabase('shutdown_idle'),
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    server = started.proc;
    const { port, exited } = started;
    await started.waitForOutput('listening on', 90_000);

    const sockets = [
      await openSocket(port), // connected, never sent a byte
      await openSocket(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\n'), // headers never finished
      await openSocket(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n', true), // keep-alive, answered
    ];
    const closed = sockets.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    const signalled = Date.now();
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The timeout is 20 s; before the fix the idle sockets held the close open until it fired (exit 1).
    expect(Date.now() - signalled).toBeLessThan(5_000);
    await Promise.all(closed);
    expect(started.output()).toContain('stopped cleanly');
    expect(started.output()).not.toContain('shutdown took longer');
  });
});
