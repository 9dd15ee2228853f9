/**
 * Every process and resource the bench starts is registered here, so one shutdown path stops
 * them all: on success, on an error, on Ctrl-C (SIGINT) and on SIGTERM. Children get SIGTERM,
 * then SIGKILL if they linger; cleanup steps (stopping PostgreSQL) run with a time limit, so
 * the bench never hangs on the way out.
 */
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

const CHILD_STOP_GRACE_MS = 5_000;
const CLEANUP_STEP_LIMIT_MS = 20_000;

const children = new Set<ManagedProcess>();
const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
const exitSteps: Array<() => void> = [];
const firstSteps: Array<() => void> = [];
let shuttingDown: Promise<void> | undefined;

/** A child process with its name and the tail of its output, for error messages. */
export class ManagedProcess {
  private tail: string[] = [];
  exitCode: number | null = null;
  exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    echo: boolean,
  ) {
    children.add(this);
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        this.tail.push(line);
        if (this.tail.length > 30) this.tail.shift();
        if (echo && !shuttingDown) process.stderr.write(`  [${name}] ${line}\n`);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : 1);
        children.delete(this);
        resolve();
      });
      child.once('error', (err) => {
        this.tail.push(String(err));
        this.exitCode = 127;
        children.delete(this);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  output(): string {
    return this.tail.join('\n');
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), CHILD_STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts a long-running child (a server); its output is kept, and echoed when `echo`. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { echo?: boolean } = {},
): ManagedProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  return new ManagedProcess(name, child, options.echo ?? false);
}

/** Runs a child to completion; rejects with its output when it fails. */
export async function runProcess(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<void> {
  const proc = startProcess(name, command, args, options);
  await proc.exited;
  if (proc.exitCode !== 0) throw new Error(`${name} failed (exit ${proc.exitCode}):\n${proc.output()}`);
}

/** Registers an async cleanup step (run in reverse order of registration). */
export function onShutdown(name: string, run: () => Promise<void>): void {
  cleanups.push({ name, run });
}

/** Registers a synchronous step for the very start of shutdown, e.g. stopping the load generator. */
export function onStopping(step: () => void): void {
  firstSteps.push(step);
}

/** Registers a synchronous step for the very end (process 'exit'), e.g. removing a temp folder. */
export function onExit(step: () => void): void {
  exitSteps.push(step);
}

function withLimit(name: string, work: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      process.stderr.write(`  ${name} did not finish within ${CLEANUP_STEP_LIMIT_MS / 1000} s; moving on\n`);
      resolve();
    }, CLEANUP_STEP_LIMIT_MS);
    work
      .catch((err) => process.stderr.write(`  ${name} failed: ${err instanceof Error ? err.message : String(err)}\n`))
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

/** Stops every child, then runs the cleanup steps. Safe to call more than once. */
export function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const step of firstSteps) step();
    await Promise.all([...children].map((c) => withLimit(`stopping ${c.name}`, c.stop())));
    for (const step of cleanups.reverse()) await withLimit(step.name, step.run());
  })();
  return shuttingDown;
}

/**
 * Ctrl-C / SIGTERM: stop everything and exit; a second signal exits at once. Call it again after
 * starting the embedded PostgreSQL: that package installs its own signal hook, which would stop
 * the database (and exit) while the servers using it still run; ours stops things in order.
 */
export function installSignalHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (shuttingDown) {
        killAllNow();
        process.exit(130);
      }
      process.stderr.write(`\n${signal}: stopping every process the bench started...\n`);
      void shutdown().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  // Last resort if the process exits without going through shutdown().
  process.removeListener('exit', onProcessExit);
  process.on('exit', onProcessExit);
}

function onProcessExit(): void {
  killAllNow();
  for (const step of exitSteps) {
    try {
      step();
    } catch {
      /* best effort on the way out */
    }
  }
}

function killAllNow(): void {
  for (const c of children) c.child.kill('SIGKILL');
}

/** Polls `url` until it answers 200 (true when the body is given), failing early when `proc` dies. */
export async function waitForHttp(url: string, proc: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running)
      throw new Error(`${proc.name} exited (code ${proc.exitCode}) before it was ready:\n${proc.output()}`);
    if ((await httpStatus(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.name} was not ready at ${url} after ${timeoutMs / 1000} s:\n${proc.output()}`);
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Samples a process's resident set size (VmRSS, Linux /proc) and keeps the maximum, in MB. */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  private maxKb = 0;

  constructor(private readonly pid: number | undefined) {}

  static readKb(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined; // not Linux, or the process is gone
    }
  }

  start(intervalMs = 250): void {
    this.maxKb = 0;
    const sample = () => {
      const kb = RssSampler.readKb(this.pid);
      if (kb !== undefined && kb > this.maxKb) this.maxKb = kb;
    };
    sample();
    this.timer = setInterval(sample, intervalMs);
  }

  /** Stops sampling; the maximum in MB, or null when /proc could not be read. */
  stop(): number | null {
    clearInterval(this.timer);
    return this.maxKb ? Math.round(this.maxKb / 1024) : null;
  }
}
