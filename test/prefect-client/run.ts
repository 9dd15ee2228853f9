/**
 * Flow Registry as a Prefect user sees it (`npm run test:prefect-client`, not part of `npm test`): starts the
 * service on a fresh embedded PostgreSQL, runs the flows of flows.py and the CLI's listing commands with Prefect's
 * own client (the venv in PREFECT_VENV, default ../prefect-venv), then checks what the service stored. Prints one
 * PASS/FAIL line per check and `RESULT: PASS` or `RESULT: FAIL` (exit 1).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

const ROOT = resolve(__dirname, '../..');
const VENV = resolve(ROOT, process.env.PREFECT_VENV ?? '../prefect-venv');
const STEP_TIMEOUT_MS = 240_000;

/** What Prefect's client prints when the service lacks a route or a channel it needs. */
const CLIENT_COMPLAINTS: [string, RegExp][] = [
  // A status, not the milliseconds of a log timestamp (`09:21:08.405`).
  ['404', /(?<![.:\d])\b404\b(?![.:\d])/],
  ['405', /(?<![.:\d])\b405\b(?![.:\d])/],
  ['websocket failure', /websocket|ws:\/\//i],
  ['"Error logging to API"', /Error logging to API/],
  ['failed client service', /Service '\w+' failed/],
];

/** The exception each traceback ends with, when it is not one the failing flows raise on purpose. */
function unexpectedTracebacks(output: string): string[] {
  return output
    .split(/(?=Traceback \(most recent call last\))/)
    .slice(1)
    .map((block) => /^[\w.]*(Error|Exception|Exit)\b.*$/m.exec(block)?.[0] ?? block.split('\n')[0])
    .filter((raised) => !/^(ValueError: this flow fails on purpose|RuntimeError: first attempt fails)$/.test(raised));
}

interface Ran {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

async function startServer(databaseUrl: string, port: number, serverLog: string[]): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      MIGRATE_ON_START: 'true',
      LOG_FORMAT: 'json',
      LOG_REQUESTS: 'true',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let pending = '';
  server.stdout!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    serverLog.push(...lines);
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/api/ready`).catch(() => undefined);
    if (ready?.status === 200) return server;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become ready');
}

class Checks {
  failures = 0;

  check(name: string, ok: boolean, detail = ''): void {
    if (!ok) this.failures++;
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `  (${detail})` : ''}`);
  }
}

interface RunRow {
  id: string;
  name: string;
  state_type: string | null;
  state_name: string | null;
  run_count: number;
  parent_task_run_id: string | null;
  start_time: Date | null;
  end_time: Date | null;
}

async function main(): Promise<void> {
  const python = join(VENV, 'bin', 'python');
  const prefect = join(VENV, 'bin', 'prefect');
  if (!existsSync(python) || !existsSync(prefect)) {
    console.error(`No Prefect venv at ${VENV}: set PREFECT_VENV to a venv with Prefect's client and CLI.`);
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'flow-registry-prefect-client-'));
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    port: 0,
    database: 'flow_registry_prefect_client',
    ephemeral: true,
    log: () => undefined,
  });
  const port = await freePort();
  const serverLog: string[] = [];
  const checks = new Checks();
  let server: ChildProcess | undefined;
  const sql = new Client({ connectionString: pg.url });
  try {
    server = await startServer(pg.url, port, serverLog);
    await sql.connect();
    // Prefect's default settings (the server version check included), with a home of its own; PREFECT_* settings
    // of the caller pass through, so a run can change one (e.g. PREFECT_LOGGING_LEVEL=DEBUG).
    const passed = Object.entries(process.env).filter(
      ([key]) => key.startsWith('PREFECT_') && !['PREFECT_VENV', 'PREFECT_API_URL', 'PREFECT_HOME'].includes(key),
    );
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(passed),
      PATH: `${join(VENV, 'bin')}:${process.env.PATH ?? ''}`,
      HOME: dir,
      PREFECT_HOME: join(dir, 'prefect-home'),
      PREFECT_API_URL: `http://127.0.0.1:${port}/api`,
      PYTHONUNBUFFERED: '1',
      COLUMNS: '160',
    };

    console.log(`service on 127.0.0.1:${port}, client ${VENV}\n`);
    const flows = await run(python, [join(__dirname, 'flows.py')], env);
    console.log(flows.output.replace(/^/gm, '  | '));
    checks.check('flows.py ran to the end', flows.code === 0, `exit ${flows.code}`);
    const results = new Map<string, Record<string, unknown>>();
    for (const m of flows.output.matchAll(/^RESULT (\w+) (.*)$/gm)) results.set(m[1], JSON.parse(m[2]));

    const cli: [string, string[], RegExp][] = [
      ['prefect flow ls', ['flow', 'ls'], /pc-flow-with-task/],
      ['prefect flow-run ls', ['flow-run', 'ls'], /COMPLETED|Completed/],
      ['prefect deployment ls', ['deployment', 'ls'], /pc-flow-with-task\/dep/],
      ['prefect work-pool ls', ['work-pool', 'ls'], /\bP\b.*process/],
      ['prefect work-queue ls --pool P', ['work-queue', 'ls', '--pool', 'P'], /default/],
      [
        'prefect deployment inspect pc-flow-with-task/dep',
        ['deployment', 'inspect', 'pc-flow-with-task/dep'],
        new RegExp(String(results.get('setup')?.deployment_id ?? 'no deployment id')),
      ],
    ];
    const outputs = [flows.output];
    for (const [name, args, expected] of cli) {
      const ran = await run(prefect, args, env);
      outputs.push(ran.output);
      console.log(`$ ${name}\n${ran.output.replace(/^/gm, '  | ')}`);
      checks.check(name, ran.code === 0 && expected.test(ran.output), `exit ${ran.code}`);
    }

    console.log('\nwhat the service stored:');
    const flowRun = async (id: unknown): Promise<RunRow | undefined> =>
      typeof id === 'string'
        ? (await sql.query<RunRow>('SELECT * FROM flow_run WHERE id = $1', [id])).rows[0]
        : undefined;
    const taskRuns = async (flowRunId: string) =>
      (
        await sql.query<RunRow & { state: { state_details: Record<string, unknown> } }>(
          'SELECT * FROM task_run WHERE flow_run_id = $1 ORDER BY name',
          [flowRunId],
        )
      ).rows;
    const stateNames = async (id: string) =>
      (
        await sql.query<{ name: string }>('SELECT name FROM flow_run_state WHERE flow_run_id = $1 ORDER BY timestamp', [
          id,
        ])
      ).rows.map((r) => r.name);

    const setup = results.get('setup');
    checks.check('read_deployment_by_name finds the deployment', !!setup && setup.read_by_name === setup.deployment_id);

    const listed = results.get('listings');
    checks.check(
      "the client's listings validate and find the runs, tasks, deployment, pool and queue",
      !!listed &&
        listed.subflow_runs === 2 &&
        listed.flow_runs === 7 &&
        listed.parent_task_runs === 2 &&
        listed.deployments === 1 &&
        JSON.stringify(listed.work_pools) === '["P"]' &&
        JSON.stringify(listed.queues) === '["default"]',
      JSON.stringify(listed),
    );

    const withTask = await flowRun(results.get('flow_with_task')?.flow_run_id);
    checks.check(
      'flow with a task: COMPLETED, run_count 1',
      withTask?.state_type === 'COMPLETED' && withTask.run_count === 1,
    );
    const doubled = withTask ? await taskRuns(withTask.id) : [];
    checks.check(
      'flow with a task: its task run stored from events, COMPLETED',
      doubled.length === 1 && doubled[0].state_type === 'COMPLETED',
      `${doubled.length} task run(s): ${doubled.map((r) => `${r.name} ${r.state_type}`).join(', ')}`,
    );
    checks.check(
      'flow with a task: state history Pending, Running, Completed',
      withTask !== undefined && (await stateNames(withTask.id)).join(',') === 'Pending,Running,Completed',
    );

    const parent = await flowRun(results.get('subflow')?.flow_run_id);
    checks.check('subflow parent: COMPLETED', parent?.state_type === 'COMPLETED');
    const children = parent
      ? (
          await sql.query<RunRow & { task_flow_run_id: string; task_state: string; child: string | null }>(
            `SELECT c.*, t.flow_run_id AS task_flow_run_id, t.state_type AS task_state,
                    t.state->'state_details'->>'child_flow_run_id' AS child
               FROM flow_run c JOIN task_run t ON t.id = c.parent_task_run_id WHERE t.flow_run_id = $1`,
            [parent.id],
          )
        ).rows
      : [];
    checks.check(
      'subflow: two child runs linked through parent task runs of the parent run',
      children.length === 2 && children.every((c) => c.task_flow_run_id === parent?.id),
      `${children.length} child run(s)`,
    );
    checks.check(
      'subflow: children COMPLETED, their parent task runs COMPLETED with child_flow_run_id',
      children.length === 2 &&
        children.every((c) => c.state_type === 'COMPLETED' && c.task_state === 'COMPLETED' && c.child === c.id),
    );

    const failing = await flowRun(results.get('failing')?.flow_run_id);
    checks.check(
      'failing flow: FAILED with start and end time, run_count 1',
      failing?.state_type === 'FAILED' && failing.run_count === 1 && !!failing.start_time && !!failing.end_time,
    );

    const retrying = await flowRun(results.get('retrying')?.flow_run_id);
    checks.check(
      'retries=1 flow: fails once, COMPLETED on the second attempt, run_count 2',
      retrying?.state_type === 'COMPLETED' && retrying.run_count === 2 && results.get('retrying')?.attempts === 2,
      retrying ? `${retrying.state_type}, run_count ${retrying.run_count}` : 'no run',
    );
    checks.check(
      'retries=1 flow: history passes through AwaitingRetry',
      retrying !== undefined &&
        (await stateNames(retrying.id)).join(',') === 'Pending,Running,AwaitingRetry,Running,Completed',
      retrying ? (await stateNames(retrying.id)).join(',') : '',
    );

    const asyncRun = await flowRun(results.get('async')?.flow_run_id);
    const squares = asyncRun ? await taskRuns(asyncRun.id) : [];
    checks.check(
      'async flow: COMPLETED with its three task runs COMPLETED',
      asyncRun?.state_type === 'COMPLETED' &&
        squares.length === 3 &&
        squares.every((r) => r.state_type === 'COMPLETED'),
      `${squares.length} task run(s)`,
    );

    const logTable = (await sql.query<{ t: string | null }>(`SELECT to_regclass('log')::text AS t`)).rows[0].t;
    const logged = logTable
      ? (
          await sql.query<{ n: number }>(
            'SELECT count(DISTINCT flow_run_id)::int AS n FROM log WHERE flow_run_id = ANY($1::uuid[])',
            [[withTask?.id, parent?.id, failing?.id, retrying?.id, asyncRun?.id].filter(Boolean)],
          )
        ).rows[0].n
      : 0;
    checks.check(
      'log lines stored for every top-level flow run',
      logged === 5,
      logTable ? `${logged} of 5` : 'no log table',
    );

    const all = outputs.join('\n');
    for (const [what, pattern] of CLIENT_COMPLAINTS) {
      const hit = pattern.exec(all);
      checks.check(
        `the client printed no ${what}`,
        !hit,
        hit ? all.slice(all.lastIndexOf('\n', hit.index) + 1, all.indexOf('\n', hit.index) >>> 0).trim() : '',
      );
    }
    const unexpected = unexpectedTracebacks(all);
    checks.check(
      'the client printed no traceback but those of the failing flows',
      unexpected.length === 0,
      unexpected.join('; '),
    );
    const refused = serverLog
      .map((line) => {
        try {
          return JSON.parse(line) as { status?: number; method?: string; path?: string };
        } catch {
          return {};
        }
      })
      .filter((r) => r.status !== undefined && (r.status === 404 || r.status === 405 || r.status >= 500));
    checks.check(
      'the service answered no 404, 405 or 5xx',
      refused.length === 0,
      refused.map((r) => `${r.method} ${r.path} ${r.status}`).join('; '),
    );
  } catch (err) {
    checks.check('the run itself', false, String(err));
  } finally {
    await sql.end().catch(() => undefined);
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(checks.failures ? `\nRESULT: FAIL (${checks.failures} failed)` : '\nRESULT: PASS');
  process.exit(checks.failures ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
