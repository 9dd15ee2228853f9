/** WEB_CONCURRENCY: several server processes on one port, all serving, all stopped by one SIGTERM. */
import { startServerProcess, ServerProcess } from '../support/server-process';

jest.setTimeout(180_000);

describe('WEB_CONCURRENCY=2 (real server processes)', () => {
  let server: ServerProcess | undefined;
  afterEach(() => {
    if (server && server.proc.exitCode === null) server.proc.kill('SIGKILL');
  });

  it('two workers share the port and both answer; SIGTERM stops both and the primary exits 0', async () => {
    server = await startServerProcess({ WEB_CONCURRENCY: '2', MIGRATE_ON_START: 'true' });
    await server.waitForOutput('listening on', 120_000);
    const created = await fetch(`${server.base}/flows/`, {
      method: 'POST',
      body: JSON.stringify({ name: 'clustered' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // A new connection per request: the primary hands connections to the workers in turn.
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${server.base}/flows/${id}`, {
        headers: { connection: 'close', 'x-request-id': `c-${i}` },
      });
      expect(res.status).toBe(200);
    }
    await server.waitForOutput('"request_id":"c-11"', 5_000);
    const lines = server.lines();
    const servedBy = new Set(lines.filter((l) => String(l.request_id).startsWith('c-')).map((l) => l.worker));
    expect([...servedBy].sort()).toEqual([1, 2]);
    // Both workers migrated under the advisory lock: one applied nothing (the template is migrated), neither failed.
    expect(
      lines
        .filter((l) => l.msg === 'schema is up to date')
        .map((l) => l.worker)
        .sort(),
    ).toEqual([1, 2]);
    expect(lines.filter((l) => String(l.msg).startsWith('listening on'))).toHaveLength(1);

    server.proc.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const after = server.lines().map((l) => [l.worker ?? 'primary', l.msg]);
    expect(after).toEqual(
      expect.arrayContaining([
        [1, 'stopped cleanly'],
        [2, 'stopped cleanly'],
        ['primary', 'stopped cleanly'],
      ]),
    );
  });
});
