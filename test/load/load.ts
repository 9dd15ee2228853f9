/**
 * Sustained load without loss (`npm run test:load`): a real server process on a fresh embedded PostgreSQL, N
 * connections of mixed create/read/filter/delete for LOAD_SECONDS, then an audit: zero 5xx, every flow answered
 * 201 and not deleted is readable, every deleted one is gone, and the count matches the rows.
 *
 *   LOAD_SECONDS (60)   how long the mixed traffic runs
 *   LOAD_CONNECTIONS (50) concurrent keep-alive connections
 *   DB_POOL_MAX etc.    passed through to the server
 */
import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const ROOT = join(__dirname, '..', '..');
const TAGS = ['t1', 't2', 't3', 't4'];

interface Reply {
  status: number;
  body: unknown;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function call(port: number, method: string, path: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Per-operation and per-status tallies, latencies for percentiles, and samples of anything unexpected. */
class Stats {
  readonly statuses = new Map<string, number>();
  readonly latencies: number[] = [];
  readonly problems: string[] = [];
  requests = 0;
  serverErrors = 0;

  record(op: string, reply: Reply, ms: number): void {
    this.requests++;
    this.latencies.push(ms);
    const key = `${op} ${reply.status}`;
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (reply.status >= 500) {
      this.serverErrors++;
      if (this.problems.length < 20) this.problems.push(`${key}: ${JSON.stringify(reply.body)}`);
    }
  }

  percentile(p: number): number {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  }
}

async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      MIGRATE_ON_START: 'true',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    const ready = await call(port, 'GET', '/api/ready').catch(() => undefined);
    if (ready?.status === 200) return server;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become ready');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flow-registry-load-'));
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    port: 0,
    database: 'flow_registry_load',
    ephemeral: true,
    settings: { max_connections: 100 },
    log: () => undefined,
  });
  const port = await freePort();
  let server: ChildProcess | undefined;
  const sql = new Client({ connectionString: pg.url });
  let failed: boolean;
  try {
    server = await startServer(pg.url, port);
    await sql.connect();
    // Whether the filters branch (filter/count routes) is merged: otherwise reads by name stand in for filters.
    const hasFilter = (await call(port, 'POST', '/api/flows/filter', { limit: 1 })).status === 200;
    const hasCount = (await call(port, 'POST', '/api/flows/count', {})).status === 200;

    const stats = new Stats();
    const live = new Map<string, string>(); // id -> name: answered 201, not deleted
    const deleted = new Set<string>();
    const deleting = new Set<string>(); // delete sent, answer not yet in
    const liveIds: string[] = []; // for random reads (may hold ids deleted since)
    const deadline = Date.now() + SECONDS * 1_000;
    console.log(
      `load: ${CONNECTIONS} connections for ${SECONDS} s against 127.0.0.1:${port} (filter route: ${hasFilter}, count route: ${hasCount})`,
    );

    const timedCall = async (op: string, method: string, path: string, body?: unknown) => {
      const started = performance.now();
      const reply = await call(port, method, path, body);
      stats.record(op, reply, performance.now() - started);
      return reply;
    };

    const worker = async (w: number) => {
      const mine: string[] = [];
      for (let n = 0; Date.now() < deadline; n++) {
        const dice = Math.random();
        if (dice < 0.4 || mine.length === 0) {
          const name = `load-${w}-${n}`;
          const reply = await timedCall('create', 'POST', '/api/flows/', {
            name,
            tags: [TAGS[n % TAGS.length]],
            labels: { worker: w, n },
          });
          if (reply.status === 201) {
            const id = (reply.body as { id: string }).id;
            live.set(id, name);
            liveIds.push(id);
            mine.push(id);
          } else if (stats.problems.length < 20) stats.problems.push(`create ${name}: ${reply.status}`);
        } else if (dice < 0.7) {
          const id = liveIds[Math.floor(Math.random() * liveIds.length)];
          const reply = await timedCall('read', 'GET', `/api/flows/${id}`);
          // A 404 is fine only for a flow its owner deleted (or is deleting right now).
          if (reply.status === 404 && live.has(id) && !deleting.has(id) && stats.problems.length < 20)
            stats.problems.push(`read ${id}: 404 but not deleted`);
        } else if (dice < 0.85) {
          if (hasFilter)
            await timedCall('filter', 'POST', '/api/flows/filter', {
              flows: { tags: { all_: [TAGS[n % TAGS.length]] } },
              limit: 20,
              sort: 'CREATED_DESC',
            });
          else
            await timedCall(
              'read-name',
              'GET',
              `/api/flows/name/${encodeURIComponent(live.get(mine[mine.length - 1]) ?? 'none')}`,
            );
        } else {
          const id = mine.splice(Math.floor(Math.random() * mine.length), 1)[0];
          deleting.add(id);
          const reply = await timedCall('delete', 'DELETE', `/api/flows/${id}`);
          if (reply.status === 204) {
            live.delete(id);
            deleted.add(id);
          } else if (stats.problems.length < 20) stats.problems.push(`delete ${id}: ${reply.status}`);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
    const elapsed = (performance.now() - started) / 1_000;

    // Audit: everything acknowledged is there, everything deleted is gone, the count matches the rows.
    const audit = { unreadable: 0, resurrected: 0 };
    const ids = [...live.keys()];
    for (let i = 0; i < ids.length; i += CONNECTIONS) {
      await Promise.all(
        ids.slice(i, i + CONNECTIONS).map(async (id) => {
          const reply = await call(port, 'GET', `/api/flows/${id}`);
          if (reply.status !== 200 || (reply.body as { name: string }).name !== live.get(id)) audit.unreadable++;
        }),
      );
    }
    const { rows } = await sql.query<{ id: string }>('SELECT id FROM flow');
    const stored = new Set(rows.map((r) => r.id));
    for (const id of deleted) if (stored.has(id)) audit.resurrected++;
    const count = hasCount ? ((await call(port, 'POST', '/api/flows/count', {})).body as number) : rows.length;

    const byStatus = [...stats.statuses.entries()].sort(([a], [b]) => a.localeCompare(b));
    console.log('\n=== load summary ===');
    console.log(`duration            ${elapsed.toFixed(1)} s, ${CONNECTIONS} connections`);
    console.log(`requests            ${stats.requests} (${(stats.requests / elapsed).toFixed(0)}/s)`);
    for (const [key, n] of byStatus) console.log(`  ${key.padEnd(18)}${n}`);
    console.log(`5xx                 ${stats.serverErrors}`);
    console.log(
      `latency ms          p50 ${stats.percentile(50).toFixed(1)}  p90 ${stats.percentile(90).toFixed(1)}  p99 ${stats.percentile(99).toFixed(1)}  max ${stats.percentile(100).toFixed(1)}`,
    );
    console.log(`flows               ${live.size} live (answered 201, not deleted), ${deleted.size} deleted`);
    console.log(
      `audit               ${audit.unreadable} live flows unreadable, ${audit.resurrected} deleted flows still stored`,
    );
    console.log(
      `count               ${hasCount ? 'POST /api/flows/count' : 'SQL'} = ${count}, rows = ${rows.length}, expected ${live.size}`,
    );
    for (const p of stats.problems) console.log(`problem: ${p}`);

    failed =
      stats.serverErrors > 0 ||
      stats.problems.length > 0 ||
      audit.unreadable > 0 ||
      audit.resurrected > 0 ||
      count !== live.size ||
      rows.length !== live.size;
    console.log(failed ? '\nRESULT: FAIL' : '\nRESULT: PASS');
  } finally {
    await sql.end().catch(() => undefined);
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    agent.destroy();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
