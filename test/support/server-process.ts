/** The real server (src/main.ts) as a child process, with its output kept, for start-up and shutdown tests. */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { recreateDatabase, TEMPLATE_DB } from './test-database';
import { waitFor } from './reliability';

const ROOT = join(__dirname, '..', '..');

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  base: string;
  databaseUrl: string;
  exited: Promise<number | null>;
  output(): string;
  /** Every output line parsed as JSON (throws on a line that is not). */
  lines(): Array<Record<string, unknown>>;
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

/** A fresh database of this jest worker's own, cloned from the migrated template. */
export function processDatabase(name: string): Promise<string> {
  return recreateDatabase(
    process.env.TEST_PG_SERVER_URL as string,
    `flow_registry_test_${name}_${process.env.JEST_WORKER_ID}`,
    TEMPLATE_DB,
  );
}

export async function startServerProcess(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const databaseUrl = env.DATABASE_URL ?? (await processDatabase('process'));
  const listenPort = port ?? (await freePort());
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(listenPort),
      HOST: '127.0.0.1',
      MIGRATE_ON_START: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'log',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let output = '';
  proc.stdout!.on('data', (chunk) => (output += String(chunk)));
  proc.stderr!.on('data', (chunk) => (output += String(chunk)));
  return {
    proc,
    port: listenPort,
    base: `http://127.0.0.1:${listenPort}/api`,
    databaseUrl,
    exited,
    output: () => output,
    lines: () =>
      output
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    waitForOutput: (text, timeoutMs = 40_000) =>
      waitFor(`"${text}" in the server's output`, async () => output.includes(text), timeoutMs, 50).catch((err) => {
        throw new Error(`${(err as Error).message}; it wrote:\n${output}`);
      }),
  };
}
