/**
 * `npm run bench`: the app against two floors on the same database, for each of two seeds (issues 5 and 14): the
 * raw floor (node:http + pg) and the framework floor (NestJS on Express + pg, nothing else), both running the app's
 * SQL. Steps: build the app, start PostgreSQL; then per seed: migrate a database, seed it, start the three servers,
 * and per scenario probe them (same answer?), warm them up, and measure app, raw, framework alternately; read
 * scenarios also get a one-connection latency pass. Prints the tables, writes bench/results/<date>-<N>[-<seed>].json
 * and bench/results/chart.svg. Last lines: `min ratio app/<floor> (<seed>): X.XX over N scenarios`, one per floor
 * and seed. See bench/README.md.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import { chartSvg } from './chart';
import { connect, freshDatabase, migrate, startDatabase } from './database';
import { LoadStats, runLoad } from './load';
import { BenchOptions, parseOptions } from './options';
import {
  installSignalHandlers,
  ManagedProcess,
  RssSampler,
  runProcess,
  shutdown,
  startProcess,
  waitForHttp,
} from './processes';
import {
  BenchResult,
  latencyByNTable,
  latencyTable,
  loadResults,
  mainTable,
  ScenarioResult,
  summarize,
  writeResult,
} from './report';
import { BenchData, RequestSpec, Scenario, SCENARIOS } from './scenarios';
import { seed, SEEDS, SeedKind } from './seed';

const ROOT = join(__dirname, '..');
const mainJs = join(ROOT, 'dist', 'src', 'main.js');
const SAMPLE_SIZE = 2000;
const log = (line: string) => process.stderr.write(`${line}\n`);

type TargetName = 'app' | 'baseline' | 'framework';

interface Target {
  name: TargetName;
  url: string;
  proc: ManagedProcess;
}

async function startTarget(
  name: Target['name'],
  args: string[],
  readyPath: string,
  env: NodeJS.ProcessEnv,
): Promise<Target> {
  const port = await freePort();
  const proc = startProcess(name, process.execPath, args, {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    echo: true,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}${readyPath}`, proc, 60_000);
  log(`${name} ready on ${url} (pid ${proc.pid}, RSS ${Math.round((RssSampler.readKb(proc.pid) ?? 0) / 1024)} MB)`);
  return { name, url, proc };
}

/** One request outside the load runs: the probe that checks a scenario works on a target. */
function sendOnce(baseUrl: string, spec: RequestSpec): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const req = request(
      `${baseUrl}${spec.path}`,
      { method: spec.method, headers: payload ? { 'content-type': 'application/json' } : {}, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer from ${spec.method} ${spec.path} within 30 s`)));
    req.end(payload);
  });
}

const excerpt = (body: unknown) => JSON.stringify(body).slice(0, 160);

class Skip extends Error {}

/** Probes, warms up, measures alternately (A B A B), then the one-connection pass for reads. */
async function runScenario(
  scenario: Scenario,
  targets: Target[],
  data: BenchData,
  opts: BenchOptions,
): Promise<ScenarioResult> {
  const result: ScenarioResult = {
    key: scenario.key,
    title: scenario.title,
    read: scenario.read,
    status: 'measured',
    notes: [],
  };
  const runs: Record<TargetName, LoadStats[]> = { app: [], baseline: [], framework: [] };
  const rss: Record<TargetName, number | null> = { app: null, baseline: null, framework: null };
  const probes: Partial<Record<TargetName, unknown>> = {};

  const measure = async (target: Target, phase: 'warmup' | 'round' | 'latency') => {
    if (!target.proc.running)
      throw new Error(`${target.name} exited (code ${target.proc.exitCode}):\n${target.proc.output()}`);
    const plan = await scenario.prepare(data, phase === 'warmup');
    try {
      if (phase === 'warmup') {
        const probe = await sendOnce(target.url, plan.next());
        // No route: 404 Not Found, or 405 when the path matches another route (POST /flows/{id}).
        const detail = (probe.body as { detail?: string })?.detail;
        const missing =
          (probe.status === 404 && detail === 'Not Found') || (probe.status === 405 && detail === 'Method Not Allowed');
        if (missing) throw new Skip(target.name === 'app' ? 'route missing' : `${target.name} route missing`);
        if (probe.status !== scenario.expectedStatus) {
          throw new Skip(
            `${target.name} answered ${probe.status}, expected ${scenario.expectedStatus}: ${excerpt(probe.body)}`,
          );
        }
        const wrong = scenario.checkProbe?.(probe.body);
        if (wrong) throw new Skip(`${target.name}: ${wrong}`);
        probes[target.name] = probe.body;
        if (opts.warmupS === 0) return undefined;
      }
      const sampler = new RssSampler(target.proc.pid);
      sampler.start();
      const stats = await runLoad({
        url: target.url,
        connections: phase === 'latency' ? 1 : opts.connections,
        durationS: phase === 'warmup' ? opts.warmupS : phase === 'latency' ? opts.latencyDurationS : opts.durationS,
        maxRequests: plan.maxRequests,
        expectedStatus: scenario.expectedStatus,
        next: plan.next,
      });
      const maxMb = sampler.stop();
      if (maxMb !== null) rss[target.name] = Math.max(rss[target.name] ?? 0, maxMb);
      if (stats.unexpected) {
        result.notes.push(
          `${target.name} ${phase}: ${stats.unexpected} unexpected answers ${JSON.stringify(stats.statuses)}`,
        );
      }
      log(
        `  ${scenario.key.padEnd(30)} ${phase.padEnd(7)} ${target.name.padEnd(8)} ` +
          `${Math.round(stats.rps).toString().padStart(6)} req/s  p50 ${stats.p50.toFixed(2)} ms  p99 ${stats.p99.toFixed(2)} ms`,
      );
      return stats;
    } finally {
      await scenario.after?.(data);
    }
  };

  try {
    for (const t of targets) await measure(t, 'warmup');
    for (const floor of ['baseline', 'framework'] as const) {
      if (scenario.read && floor in probes && JSON.stringify(probes.app) !== JSON.stringify(probes[floor])) {
        result.notes.push(
          `app and ${floor} answered the first request differently: app ${excerpt(probes.app)} / ${floor} ${excerpt(probes[floor])}`,
        );
      }
    }
    for (let round = 0; round < opts.rounds; round++) {
      for (const t of targets) runs[t.name].push((await measure(t, 'round'))!);
    }
  } catch (err) {
    if (!(err instanceof Skip)) throw err;
    log(`  ${scenario.key}: skipped (${err.message})`);
    return { ...result, status: 'skipped', reason: err.message };
  }
  result.app = summarize(runs.app, rss.app);
  result.baseline = summarize(runs.baseline, rss.baseline);
  result.ratio = result.baseline.rps ? result.app.rps / result.baseline.rps : undefined;
  if (runs.framework.length) {
    result.framework = summarize(runs.framework, rss.framework);
    result.ratioFramework = result.framework.rps ? result.app.rps / result.framework.rps : undefined;
  }
  if (scenario.read && opts.latencyDurationS > 0) {
    for (const t of targets) {
      const l = (await measure(t, 'latency'))!;
      result[t.name]!.latency1 = { p50: l.p50, p99: l.p99, rps: l.rps };
    }
  }
  for (const note of result.notes) log(`  note: ${note}`);
  return result;
}

function machine(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    loadavgAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

async function main(): Promise<void> {
  installSignalHandlers();
  const opts = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const info = machine();
  log(
    `bench: ${opts.flows.toLocaleString('en-US')} flows, ${opts.connections} connections, ${opts.durationS} s x ${opts.rounds} rounds per target`,
  );
  log(`machine: ${info.cpus} x ${info.cpuModel}, load average ${(info.loadavgAtStart as number[]).join(' ')}`);

  if (opts.aa) log('A/A run (--aa): the "app" column is a second baseline server');
  if (opts.build && !opts.aa) {
    log('building the app (tsc -p tsconfig.build.json)');
    await runProcess('build', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
    });
  }
  if (!opts.aa && !existsSync(mainJs)) throw new Error(`${mainJs} is missing: run without --no-build`);

  const database = await startDatabase(log);
  installSignalHandlers();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: String(opts.poolMax),
  };
  const scenarios = SCENARIOS.filter((s) => !opts.only || opts.only.includes(s.key));
  if (!scenarios.length) throw new Error(`--only matched no scenario; keys: ${SCENARIOS.map((s) => s.key).join(', ')}`);

  const summaries: string[] = [];
  for (const [index, seedKey] of opts.seeds.entries()) {
    const kind = SEEDS[seedKey];
    const url = index === 0 ? database.url : await freshDatabase(database, kind.key);
    const result = await benchSeed(kind, url, env, scenarios, opts, database.description, started, info);
    for (const [floor, min] of [
      ['raw floor', result.minRatio],
      ['framework floor', result.minRatioFramework],
    ] as const) {
      const count = result.scenarios.filter((r) => (floor === 'raw floor' ? r.ratio : r.ratioFramework) !== undefined);
      summaries.push(
        `min ratio app/${floor} (${kind.key} seed): ${min === null || min === undefined ? 'n/a' : min.toFixed(2)} over ${count.length} scenarios`,
      );
    }
  }
  await shutdown();
  for (const line of summaries) console.log(line);
}

/** One seed: a migrated database, the seed, the three servers, every scenario; prints and saves the result. */
async function benchSeed(
  kind: SeedKind,
  url: string,
  baseEnv: NodeJS.ProcessEnv,
  scenarios: Scenario[],
  opts: BenchOptions,
  databaseDescription: string,
  started: number,
  info: Record<string, unknown>,
): Promise<BenchResult> {
  log(`seed ${kind.key} (${kind.description}): applying migrations`);
  await migrate(url);
  const db = await connect(url);
  await seed(db, opts.flows, kind);
  const sample = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM flow ORDER BY random() LIMIT ${SAMPLE_SIZE}`,
  );
  const data: BenchData = {
    db,
    ids: sample.rows.map((r) => r.id),
    names: sample.rows.map((r) => r.name),
    deleteBatches: opts.deleteBatches,
    vocab: kind,
  };

  const env: NodeJS.ProcessEnv = { ...baseEnv, DATABASE_URL: url };
  const baselineArgs = ['-r', 'ts-node/register/transpile-only', join(__dirname, 'baseline-server.ts')];
  const frameworkArgs = ['-r', 'ts-node/register/transpile-only', join(__dirname, 'framework-floor-server.ts')];
  // --aa: a second baseline stands in for the app, so the ratios show the measurement noise.
  const app = opts.aa
    ? await startTarget('app', baselineArgs, '/api/health', env)
    : await startTarget('app', [mainJs], '/api/ready', env);
  const baseline = await startTarget('baseline', baselineArgs, '/api/health', env);
  const framework = await startTarget('framework', frameworkArgs, '/api/health', env);
  const targets = [app, baseline, framework];

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario, targets, data, opts));
  for (const t of targets) await t.proc.stop();

  const minOf = (values: (number | undefined)[]) => {
    const defined = values.filter((v): v is number => v !== undefined);
    return defined.length ? Math.min(...defined) : null;
  };
  const rssMax = (name: TargetName) => {
    const values = results.map((r) => r[name]?.rssMaxMb).filter((v): v is number => typeof v === 'number');
    return values.length ? Math.max(...values) : null;
  };
  const result: BenchResult = {
    version: 1,
    date: new Date().toISOString(),
    flows: opts.flows,
    seed: kind.key,
    options: {
      ...opts,
      outDir: undefined,
      database: databaseDescription,
      durationTotalS: Math.round((Date.now() - started) / 1000),
    },
    machine: info,
    scenarios: results,
    minRatio: minOf(results.map((r) => r.ratio)),
    minRatioFramework: minOf(results.map((r) => r.ratioFramework)),
    appRssMaxMb: rssMax('app'),
    baselineRssMaxMb: rssMax('baseline'),
    frameworkRssMaxMb: rssMax('framework'),
  };
  const file = writeResult(opts.outDir, result);
  const all = loadResults(opts.outDir, kind.key);
  const chart = join(opts.outDir, kind.key === 'independent' ? 'chart.svg' : `chart-${kind.key}.svg`);
  writeFileSync(chart, chartSvg(result, all));

  console.log(
    `\nFlow Registry bench${opts.aa ? ' (A/A: baseline vs baseline)' : ''}: ${kind.key} seed, N = ${opts.flows.toLocaleString('en-US')} flows, ${opts.connections} connections, ` +
      `${opts.durationS} s x ${opts.rounds} rounds per target (medians), ${databaseDescription}, ${info.cpus} CPUs`,
  );
  console.log('raw = node:http + pg floor; fw = NestJS on Express + pg floor (same SQL, nothing else)');
  console.log(mainTable(result));
  if (opts.latencyDurationS > 0 && results.some((r) => r.read && r.status === 'measured')) {
    console.log(`\nLatency at 1 connection (${opts.latencyDurationS} s per target)`);
    console.log(latencyTable(result));
    console.log(`\nLatency against N (latest ${kind.key} result per N in ${opts.outDir})`);
    console.log(latencyByNTable(all));
  }
  const mb = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${v} MB`);
  const rssRatio =
    result.appRssMaxMb && result.frameworkRssMaxMb ? (result.appRssMaxMb / result.frameworkRssMaxMb).toFixed(2) : '-';
  console.log(
    `\nRSS max under load: app ${mb(result.appRssMaxMb)}, framework floor ${mb(result.frameworkRssMaxMb)} (app/framework ${rssRatio}), raw floor ${mb(result.baselineRssMaxMb)}`,
  );
  console.log(`results: ${file}; chart: ${chart}`);
  return result;
}

main()
  .then(() => process.exit(0))
  .catch(async (err: unknown) => {
    log(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await shutdown();
    process.exit(1);
  });
