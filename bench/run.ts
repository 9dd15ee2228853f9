/**
 * `npm run bench`: the app against a raw node:http + pg baseline on the same database
 * (issue 5). Steps: build the app, start PostgreSQL, migrate, seed, start both servers, then
 * per scenario probe both (same answer?), warm both up, and measure app/baseline alternately;
 * read scenarios also get a one-connection latency pass. Prints the tables, writes
 * bench/results/<date>-<N>.json and bench/results/chart.svg. Last line:
 * `min ratio app/baseline: X.XX over N scenarios`. See bench/README.md.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import { chartSvg } from './chart';
import { connect, migrate, startDatabase } from './database';
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
import { seed } from './seed';

const ROOT = join(__dirname, '..');
const SAMPLE_SIZE = 2000;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Target {
  name: 'app' | 'baseline';
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
  const runs: Record<Target['name'], LoadStats[]> = { app: [], baseline: [] };
  const rss: Record<Target['name'], number | null> = { app: null, baseline: null };
  const probes: Partial<Record<Target['name'], unknown>> = {};

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
        if (missing) throw new Skip(target.name === 'app' ? 'route missing' : 'baseline route missing');
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
    if (scenario.read && JSON.stringify(probes.app) !== JSON.stringify(probes.baseline)) {
      result.notes.push(
        `app and baseline answered the first request differently: app ${excerpt(probes.app)} / baseline ${excerpt(probes.baseline)}`,
      );
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
  const mainJs = join(ROOT, 'dist', 'src', 'main.js');
  if (!opts.aa && !existsSync(mainJs)) throw new Error(`${mainJs} is missing: run without --no-build`);

  const database = await startDatabase(log);
  installSignalHandlers();
  log(`database: ${database.description}; applying migrations`);
  await migrate(database.url);
  const db = await connect(database.url);
  await seed(db, opts.flows);
  const sample = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM flow ORDER BY random() LIMIT ${SAMPLE_SIZE}`,
  );
  const data: BenchData = {
    db,
    ids: sample.rows.map((r) => r.id),
    names: sample.rows.map((r) => r.name),
    deleteBatches: opts.deleteBatches,
  };

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    HOST: '127.0.0.1',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: String(opts.poolMax),
  };
  const baselineArgs = ['-r', 'ts-node/register/transpile-only', join(__dirname, 'baseline-server.ts')];
  // --aa: a second baseline stands in for the app, so the ratios show the measurement noise.
  const app = opts.aa
    ? await startTarget('app', baselineArgs, '/api/health', env)
    : await startTarget('app', [mainJs], '/api/ready', env);
  const baseline = await startTarget('baseline', baselineArgs, '/api/health', env);

  const scenarios = SCENARIOS.filter((s) => !opts.only || opts.only.includes(s.key));
  if (!scenarios.length) throw new Error(`--only matched no scenario; keys: ${SCENARIOS.map((s) => s.key).join(', ')}`);
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario, [app, baseline], data, opts));

  const measured = results.filter((r) => r.ratio !== undefined);
  const rssValues = results.map((r) => r.app?.rssMaxMb).filter((v): v is number => typeof v === 'number');
  const result: BenchResult = {
    version: 1,
    date: new Date().toISOString(),
    flows: opts.flows,
    options: {
      ...opts,
      outDir: undefined,
      database: database.description,
      durationTotalS: Math.round((Date.now() - started) / 1000),
    },
    machine: info,
    scenarios: results,
    minRatio: measured.length ? Math.min(...measured.map((r) => r.ratio!)) : null,
    appRssMaxMb: rssValues.length ? Math.max(...rssValues) : null,
  };
  const file = writeResult(opts.outDir, result);
  const all = loadResults(opts.outDir);
  const chart = join(opts.outDir, 'chart.svg');
  writeFileSync(chart, chartSvg(result, all));

  console.log(
    `\nFlow Registry bench${opts.aa ? ' (A/A: baseline vs baseline)' : ''}: N = ${opts.flows.toLocaleString('en-US')} flows, ${opts.connections} connections, ` +
      `${opts.durationS} s x ${opts.rounds} rounds per target (medians), ${database.description}, ${info.cpus} CPUs`,
  );
  console.log(mainTable(result));
  if (opts.latencyDurationS > 0 && results.some((r) => r.read && r.status === 'measured')) {
    console.log(`\nLatency at 1 connection (${opts.latencyDurationS} s per target)`);
    console.log(latencyTable(result));
    console.log(`\nLatency against N (latest result per N in ${opts.outDir})`);
    console.log(latencyByNTable(all));
  }
  console.log(`\napp RSS max: ${result.appRssMaxMb ?? '-'} MB; results: ${file}; chart: ${chart}`);

  await shutdown();
  const min = result.minRatio === null ? 'n/a' : result.minRatio.toFixed(2);
  console.log(`min ratio app/baseline: ${min} over ${measured.length} scenarios`);
}

main()
  .then(() => process.exit(0))
  .catch(async (err: unknown) => {
    log(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await shutdown();
    process.exit(1);
  });
