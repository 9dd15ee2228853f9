/**
 * The quick start on the embedded PostgreSQL, as `npm start` runs it (the real server process, no DATABASE_URL):
 * a taken default port is replaced by a free one, a data folder held by another running instance is named with its
 * pid and the ways out, a failed start shows PostgreSQL's own log, and SIGTERM drains before PostgreSQL stops.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { connect, sleep, waitFor, waitForLockWaiters } from '../support/reliability';

// initdb plus a ts-node start take seconds alone, and minutes on a machine busy with other test runs.
jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..');
/** The port `npm start` uses when EMBEDDED_PG_PORT is not set. */
const DEFAULT_PG_PORT = 5433;

interface ServerProcess {
  proc: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The `msg` of every JSON log line so far. */
  messages(): string[];
}

function startServer(env: Record<string, string>, port: number): ServerProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json' };
  // As a new user runs it: no external database, no port chosen for the embedded one.
  delete childEnv.DATABASE_URL;
  delete childEnv.EMBEDDED_PG_PORT;
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...childEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (chunk) => (output += String(chunk)));
  proc.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const messages = () =>
    output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => String(JSON.parse(l).msg));
  return { proc, port, exited, output: () => output, messages };
}

async function waitUntilServing(server: ServerProcess): Promise<void> {
  await waitFor(
    'the server to answer /api/ready',
    async () => {
      if (server.proc.exitCode !== null) throw new Error(`server exited ${server.proc.exitCode}: ${server.output()}`);
      return (await fetch(`http://127.0.0.1:${server.port}/api/ready`)).ok;
    },
    180_000,
    250,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; the server wrote:\n${server.output().slice(-3000)}`);
  });
}

/** Holds a TCP port the way any other server would; resolves false when someone else holds it already. */
function holdPort(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const blocker = createServer((socket) => socket.destroy());
    blocker.once('error', () => resolve(undefined));
    blocker.listen(port, '127.0.0.1', () => resolve(blocker));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function send(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.once('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('quick start on the embedded PostgreSQL (real server process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flow-registry-quick-start-'));
  const dataDir = join(dir, 'pg');
  const started: ServerProcess[] = [];
  const blockers: Server[] = [];
  let first: ServerProcess;
  let pgPort: number;

  afterAll(async () => {
    for (const s of started) if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
    for (const b of blockers) b.close();
    // A server killed above leaves its PostgreSQL behind; stop it before removing its folder.
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGQUIT');
    } catch {
      /* no server left */
    }
    await sleep(200);
    rmSync(dir, { recursive: true, force: true });
  });

  it('default port taken: picks a free port, says which, and serves', async () => {
    // Held here, or already held by another server on this machine: taken either way.
    const blocker = await holdPort(DEFAULT_PG_PORT);
    if (blocker) blockers.push(blocker);
    first = startServer({ EMBEDDED_PG_DIR: dataDir }, await freePort());
    started.push(first);
    await waitUntilServing(first);
    const moved = first.messages().find((m) => m.startsWith(`port ${DEFAULT_PG_PORT} is in use`));
    expect(moved).toMatch(/uses port \d+ instead \(set EMBEDDED_PG_PORT to choose one\)/);
    pgPort = Number(/uses port (\d+)/.exec(moved!)![1]);
    expect(pgPort).not.toBe(DEFAULT_PG_PORT);
    expect(first.messages()).toContain(`embedded PostgreSQL ready on 127.0.0.1:${pgPort} (data: ${dataDir})`);
    const created = await fetch(`http://127.0.0.1:${first.port}/api/flows/`, {
      method: 'POST',
      body: JSON.stringify({ name: 'quick-start' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
  });

  it('a second instance on the same data folder names the running one and the ways out', async () => {
    const postmasterPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const second = startServer({ EMBEDDED_PG_DIR: dataDir }, await freePort());
    started.push(second);
    expect(await second.exited).toBe(1);
    const error = second.messages().find((m) => m.includes('in use by another running PostgreSQL'));
    expect(error).toContain(`data folder ${dataDir} is in use by another running PostgreSQL (pid ${postmasterPid})`);
    expect(error).toContain('stop that one');
    expect(error).toContain('EMBEDDED_PG_DIR=');
    expect(error).toContain('DATABASE_URL=');
    expect(second.output()).not.toMatch(/\n\s+at /); // a message to act on, not a stack trace
    // The first instance is untouched.
    expect((await fetch(`http://127.0.0.1:${first.port}/api/ready`)).status).toBe(200);
  });

  it('SIGTERM with a keep-alive connection open and a request in flight: drains, stops PostgreSQL, exits 0', async () => {
    const postmasterPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${pgPort}/flow_registry`;
    const idle = new Agent({ keepAlive: true });
    const busy = new Agent({ keepAlive: true });
    const flow = await send(busy, first.port, 'POST', '/api/flows/', { name: 'in-flight' });
    expect(flow.status).toBe(201);
    const flowId = (JSON.parse(flow.body) as { id: string }).id;
    // An idle keep-alive connection, as a browser or a Prefect client leaves one.
    expect((await send(idle, first.port, 'GET', '/api/health')).status).toBe(200);
    const locker = await connect(databaseUrl);
    const observer = await connect(databaseUrl);
    // The server stops PostgreSQL as it exits, which ends these sessions from the other side.
    locker.on('error', () => undefined);
    observer.on('error', () => undefined);
    let released = false;
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM flow WHERE id = $1 FOR UPDATE', [flowId]);
      const inFlight = send(busy, first.port, 'PATCH', `/api/flows/${flowId}`, { tags: ['finished'] });
      await waitForLockWaiters(observer, 1);
      await observer.end();

      first.proc.kill('SIGTERM');
      // The exit hook of embedded-postgres used to stop PostgreSQL and exit 143 here, some 80 ms after SIGTERM.
      await sleep(500);
      expect(first.proc.exitCode).toBeNull();
      expect(isAlive(postmasterPid)).toBe(true);

      await locker.query('ROLLBACK');
      released = true;
      expect((await inFlight).status).toBe(204);
      expect(await first.exited).toBe(0);
    } finally {
      if (!released) await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end().catch(() => undefined);
      await observer.end().catch(() => undefined);
      idle.destroy();
      busy.destroy();
    }
    const messages = first.messages();
    expect(messages).toEqual(
      expect.arrayContaining(['SIGTERM received: finishing in-flight requests', 'stopped cleanly']),
    );
    expect(isAlive(postmasterPid)).toBe(false);
  });

  it("a start that fails shows the last lines of PostgreSQL's own log and what to do", async () => {
    const taken = await freePort();
    const blocker = await holdPort(taken);
    expect(blocker).toBeDefined();
    blockers.push(blocker!);
    // An explicit port is a choice: it is not replaced, and the start fails. A data folder of its own keeps this
    // test apart from the server of the tests above.
    const ownDir = join(dir, 'pg-port-taken');
    const server = startServer({ EMBEDDED_PG_DIR: ownDir, EMBEDDED_PG_PORT: String(taken) }, await freePort());
    started.push(server);
    expect(await server.exited).toBe(1);
    const error = server.messages().find((m) => m.startsWith('embedded PostgreSQL did not start'));
    expect(error).toContain(`did not start on port ${taken} with data in ${ownDir}`);
    expect(error).toContain(`port ${taken} is in use: set EMBEDDED_PG_PORT to a free port (0 picks one)`);
    expect(error).toContain("last lines of PostgreSQL's log:");
    expect(error).toMatch(/could not bind IPv4 address "127\.0\.0\.1": Address already in use/);
  });
});
