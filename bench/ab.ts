/**
 * `npm run bench:ab -- --a DIR [--a-env K=V,...] --b DIR [--b-env K=V,...]`: two builds (or one build
 * with two settings, e.g. WEB_CONCURRENCY=1 vs 2) against one seeded database, measured alternately
 * (A B A B ...) on get-by-id and a name like_ filter. DIR is a checkout whose dist/src/main.js is built.
 * Prints every round, the median of each side and B/A. On a shared machine the spread between rounds of
 * one side is the noise floor: a difference smaller than that is no difference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import { connect, migrate, startDatabase } from './database';
import { runLoad } from './load';
import { installSignalHandlers, shutdown, startProcess, waitForHttp } from './processes';
import type { RequestSpec } from './scenarios';
import { seed, SEEDS } from './seed';

const log = (line: string) => process.stderr.write(`${line}\n`);

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function envList(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  return Object.fromEntries(raw.split(',').map((kv) => kv.split('=', 2) as [string, string]));
}

/**
 * CPU time (user + system) the server process has used, in µs, from /proc. On a shared machine, throughput swings
 * with everyone else's load; the CPU a request costs the server swings much less, and one Node process cannot
 * answer more than 1 / (CPU per request) requests a second.
 */
function cpuMicros(pid: number | undefined): number {
  const ticks = (stat: string) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: ppid is field 2, utime and stime 12 and 13, in clock ticks (100 a second).
    return { ppid: Number(fields[1]), cpu: Number(fields[11]) + Number(fields[12]) };
  };
  let total = ticks(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpu;
  // Cluster workers are the primary's children: their CPU counts too.
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const child = ticks(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (child.ppid === pid) total += child.cpu;
    } catch {
      /* gone meanwhile */
    }
  }
  return (total * 1e6) / 100;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  installSignalHandlers();
  const flows = Number(arg('flows', '10000'));
  const rounds = Number(arg('rounds', '4'));
  const durationS = Number(arg('duration', '6'));
  const connections = Number(arg('connections', '10'));
  const only = (arg('only', 'get,like') as string).split(',');
  const sides = [
    { name: 'A', dir: resolve(arg('a', '.') as string), env: envList(arg('a-env')) },
    { name: 'B', dir: resolve(arg('b', '.') as string), env: envList(arg('b-env')) },
  ];

  const database = await startDatabase(log);
  installSignalHandlers();
  await migrate(database.url);
  const db = await connect(database.url);
  await seed(db, flows, SEEDS.independent);
  const ids = (await db.query<{ id: string }>('SELECT id FROM flow ORDER BY random() LIMIT 2000')).rows.map(
    (r) => r.id,
  );

  const urls: Record<string, string> = {};
  const pids: Record<string, number | undefined> = {};
  for (const side of sides) {
    const port = await freePort();
    const proc = startProcess(`app-${side.name}`, process.execPath, [join(side.dir, 'dist', 'src', 'main.js')], {
      cwd: side.dir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        HOST: '127.0.0.1',
        PORT: String(port),
        MIGRATE_ON_START: 'false',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        ...side.env,
      },
      echo: true,
    });
    urls[side.name] = `http://127.0.0.1:${port}`;
    pids[side.name] = proc.pid;
    await waitForHttp(`${urls[side.name]}/api/ready`, proc, 60_000);
    log(`${side.name}: ${side.dir} ${JSON.stringify(side.env)} on ${urls[side.name]}`);
  }

  const scenarios: Record<string, () => RequestSpec> = {
    get: () => ({ method: 'GET', path: `/api/flows/${ids[Math.floor(Math.random() * ids.length)]}` }),
    like: () => ({
      method: 'POST',
      path: '/api/flows/filter',
      body: { flows: { name: { like_: ['etl', 'hourly', '4242', 'backup'][Math.floor(Math.random() * 4)] } } },
    }),
  };
  for (const key of only) {
    const rps: Record<string, number[]> = { A: [], B: [] };
    const cpu: Record<string, number[]> = { A: [], B: [] };
    for (const side of sides) {
      await runLoad({ url: urls[side.name], connections, durationS: 2, expectedStatus: 200, next: scenarios[key] });
    }
    for (let round = 0; round < rounds; round++) {
      // Alternate which side goes first, so a drift in machine load does not favour one side.
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const cpuBefore = cpuMicros(pids[side.name]);
        const stats = await runLoad({
          url: urls[side.name],
          connections,
          durationS,
          expectedStatus: 200,
          next: scenarios[key],
        });
        if (stats.unexpected) log(`  ${key} ${side.name}: ${stats.unexpected} unexpected answers`);
        rps[side.name].push(stats.rps);
        cpu[side.name].push((cpuMicros(pids[side.name]) - cpuBefore) / Math.max(1, stats.requests));
      }
    }
    const a = median(rps.A);
    const b = median(rps.B);
    const ca = median(cpu.A);
    const cb = median(cpu.B);
    console.log(
      `${key.padEnd(5)} server CPU µs/request: A ${cpu.A.map((x) => Math.round(x)).join(' ')} | B ${cpu.B.map((x) => Math.round(x)).join(' ')}` +
        ` | median A ${Math.round(ca)} B ${Math.round(cb)} B/A ${(cb / ca).toFixed(3)}`,
    );
    console.log(
      `${key.padEnd(5)} req/s A ${rps.A.map((x) => Math.round(x)).join(' ')} | B ${rps.B.map((x) => Math.round(x)).join(' ')}` +
        ` | median A ${Math.round(a)} B ${Math.round(b)} B/A ${(b / a).toFixed(3)}`,
    );
  }
  await shutdown();
}

main().catch(async (err) => {
  console.error(err);
  await shutdown();
  process.exit(1);
});
