/**
 * What a person sees when the real server starts: a few lines after the port is bound, a clear error when the
 * port is taken, and configuration errors in the same format as everything else.
 */
import { createServer, Server } from 'node:net';
import { freePort } from '../../src/database/embedded-postgres';
import { startServerProcess, ServerProcess } from '../support/server-process';

// Each test starts the server with ts-node: tens of seconds on a busy 2-core machine.
jest.setTimeout(150_000);

describe('start-up (real server process)', () => {
  let server: ServerProcess | undefined;
  afterEach(() => {
    if (server && server.proc.exitCode === null) server.proc.kill('SIGKILL');
    server = undefined;
  });

  it('prints version, database (no password), listening URL and docs once the port is bound; routes only at debug', async () => {
    server = await startServerProcess({});
    await server.waitForOutput('listening on', 90_000);
    // The line is written after listen() returned: the port answers at once.
    expect((await fetch(`${server.base}/health`)).status).toBe(200);
    const messages = server.lines().map((l) => String(l.msg));
    const at = (prefix: string) => messages.findIndex((m) => m.startsWith(prefix));
    expect(at('Flow Registry ')).toBe(0);
    expect(messages[at('Flow Registry ')]).toMatch(/^Flow Registry \d+\.\d+\.\d+ \(Node v/);
    const url = new URL(server.databaseUrl);
    expect(messages[at('database: ')]).toBe(
      `database: PostgreSQL at ${url.hostname}:${url.port}${url.pathname} as ${url.username}`,
    );
    expect(messages[at('migrations: ')]).toBe('migrations: not applied at start (MIGRATE_ON_START=false)');
    expect(messages[at('listening on ')]).toBe(`listening on ${server.base}`);
    expect(messages[at('docs: ')]).toBe(`docs: ${server.base}/docs (OpenAPI: ${server.base}/openapi.json)`);
    expect(at('listening on ')).toBeGreaterThan(at('database: '));
    expect(messages.filter((m) => /Mapped \{|dependencies initialized|successfully started/.test(m))).toEqual([]);
    expect(messages.length).toBeLessThanOrEqual(8);
    expect(server.output()).not.toContain(`:${url.password}@`);
  });

  it('a port in use is one clear error and exit 1, never a "listening" line', async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      server = await startServerProcess({}, port);
      expect(await server.exited).toBe(1);
      const lines = server.lines();
      const errors = lines.filter((l) => l.level === 'error');
      expect(errors.map((l) => l.msg)).toEqual([
        `cannot listen on 127.0.0.1:${port}: the port is already in use by another process; set PORT to a free port`,
      ]);
      expect(lines.map((l) => String(l.msg)).filter((m) => m.startsWith('listening on'))).toEqual([]);
    } finally {
      squatter.close();
    }
  });

  it('configuration errors are logged in the same JSON format, without colour codes off a terminal', async () => {
    server = await startServerProcess({ PORT: 'eighty', LOG_FORMAT: '', LOG_LEVEL: 'loud' });
    expect(await server.exited).toBe(1);
    expect(server.output()).not.toContain('\u001b[');
    const lines = server.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', context: 'Main' });
    expect(lines[0].msg).toMatch(/^Invalid configuration:\n {2}- PORT="eighty" is not a port number/);
    expect(lines[0].msg).toMatch(/LOG_LEVEL="loud" is not one of/);
  });
});
