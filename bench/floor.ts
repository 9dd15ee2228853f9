/**
 * `npm run bench:floor`: req/s of a trivial JSON route on node:http, Express 5 and NestJS+Express,
 * each in its own process, alternated (A B C A B C), 10 connections. Prints the ratios to node:http:
 * the ceiling any NestJS-on-Express service reaches on this machine before doing any work.
 */
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import { runLoad } from './load';
import { installSignalHandlers, shutdown, startProcess, waitForHttp } from './processes';

const KINDS = ['node', 'express', 'nest'] as const;

async function main(): Promise<void> {
  installSignalHandlers();
  const duration = Number(process.env.FLOOR_SECONDS ?? 5);
  const servers: Record<string, string> = {};
  for (const kind of KINDS) {
    const port = await freePort();
    const proc = startProcess(
      `floor-${kind}`,
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, 'floor-server.ts'), kind, String(port)],
      {
        cwd: join(__dirname, '..'),
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    servers[kind] = `http://127.0.0.1:${port}`;
    await waitForHttp(`${servers[kind]}/api/flows/x`, proc, 30_000);
  }
  const results: Record<string, number[]> = { node: [], express: [], nest: [] };
  for (let round = 0; round < 2; round++) {
    for (const kind of KINDS) {
      const stats = await runLoad({
        url: servers[kind],
        connections: 10,
        durationS: duration,
        expectedStatus: 200,
        next: () => ({ method: 'GET', path: '/api/flows/6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5' }),
      });
      results[kind].push(stats.rps);
    }
  }
  const best = (kind: string) => Math.max(...results[kind]);
  console.log('framework floor (no database, 10 connections, best of 2 rounds)');
  for (const kind of KINDS) {
    console.log(
      `  ${kind.padEnd(8)} ${Math.round(best(kind)).toLocaleString('en-US').padStart(8)} req/s   ratio to node:http ${(best(kind) / best('node')).toFixed(2)}`,
    );
  }
  await shutdown();
}

main().catch(async (err) => {
  console.error(err);
  await shutdown();
  process.exit(1);
});
