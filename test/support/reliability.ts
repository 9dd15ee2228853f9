/**
 * Support for the reliability tests: a PostgreSQL of the test's own (so it can be stopped and started again),
 * apps on any database with captured logs, timing and polling helpers.
 */
import { Type } from '@nestjs/common';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { freePort } from '../../src/database/embedded-postgres';
import { workerDatabase } from './test-app';

const ROOT = join(__dirname, '..', '..');

export const SERVICE_UNAVAILABLE = { exception_message: 'Service Unavailable' };

/** The application_name every pooled connection of the app carries (orm-options.ts). */
export const APP_CONNECTION_NAME = 'flow-registry';

/**
 * A private PostgreSQL on a fixed free port and its own temp folder: `start()` initialises it on first use,
 * `stop()` shuts it down (fast mode: open sessions are terminated, as in a real restart), `start()` again reuses
 * the same data and port, so the app's DATABASE_URL stays valid throughout.
 */
let templateDir: Promise<string> | undefined;

export class PrivatePostgres {
  private server?: ChildProcess;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    readonly database: string,
  ) {}

  static async create(database = 'flow_registry'): Promise<PrivatePostgres> {
    const pg = new PrivatePostgres(mkdtempSync(join(tmpdir(), 'flow-registry-faults-')), await freePort(), database);
    // initdb takes seconds: the first server of this process is initialised, later ones start from a copy of it
    // (cp -a keeps the owner, which must be the postgres user when running as root).
    templateDir ??= PrivatePostgres.initialiseTemplate(database);
    execFileSync('cp', ['-a', await templateDir, join(pg.dir, 'data')]);
    return pg;
  }

  private static async initialiseTemplate(database: string): Promise<string> {
    const template = new PrivatePostgres(
      mkdtempSync(join(tmpdir(), 'flow-registry-faults-template-')),
      await freePort(),
      database,
    );
    await template.start();
    await template.stop();
    return join(template.dir, 'data');
  }

  /** Removes the initialised template (call from afterAll of a file that created servers). */
  static async removeTemplate(): Promise<void> {
    const dir = await templateDir?.catch(() => undefined);
    templateDir = undefined;
    if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
  }

  /** Known before the server ever ran, so an app can be started against a database that is down. */
  get url(): string {
    return `postgresql://postgres:postgres@127.0.0.1:${this.port}/${this.database}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, 'private-postgres.cli.ts'),
        join(this.dir, 'data'),
        String(this.port),
        this.database,
      ],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.server = server;
    let errors = '';
    server.stderr!.on('data', (chunk) => (errors += String(chunk)));
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolve());
      server.once('exit', (code) => {
        this.server = undefined;
        reject(new Error(`private PostgreSQL exited with ${code}: ${errors}`));
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server || server.exitCode !== null) return;
    await new Promise((resolve) => {
      server.once('exit', resolve);
      server.kill('SIGTERM');
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface AppUnderTest {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  databaseUrl: string;
  /** Every line the app logged (JSON format), in order. */
  logs: string[];
  close(): Promise<void>;
}

export interface AppOptions {
  /** Defaults to this jest worker's database (as startTestApp). */
  databaseUrl?: string;
  overrides?: Partial<AppConfig>;
  extraModules?: Type[];
}

/** An app from the production factory, listening on a free port, with its log lines captured. */
export async function startAppOn(options: AppOptions = {}): Promise<AppUnderTest> {
  const databaseUrl = options.databaseUrl ?? (await workerDatabase());
  const config: AppConfig = {
    ...loadConfig({}),
    logLevel: 'error',
    logFormat: 'json',
    migrateOnStart: false,
    ...options.overrides,
  };
  const logs: string[] = [];
  const app = await createApp({
    config,
    databaseUrl,
    extraModules: options.extraModules,
    logSink: (line) => logs.push(line),
  });
  await app.listen(0, '127.0.0.1');
  return { app, http: request(app.getHttpServer()), config, databaseUrl, logs, close: () => app.close() };
}

/** A plain pg client (outside the app's pool) for locks, seeding and assertions. */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'flow-registry-test' });
  await client.connect();
  return client;
}

export interface Timed<T> {
  result: T;
  ms: number;
}

export async function timed<T>(work: Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const result = await work;
  return { result, ms: performance.now() - started };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Backends of `client`'s server that belong to the app's pool. */
export async function appBackends(
  client: Client,
): Promise<{ pid: number; state: string; wait_event_type: string | null; backend_start: Date }[]> {
  const { rows } = await client.query(
    `SELECT pid, state, wait_event_type, backend_start FROM pg_stat_activity
     WHERE application_name = $1 AND datname = current_database()`,
    [APP_CONNECTION_NAME],
  );
  return rows;
}

/** Waits until `count` app backends are blocked on a lock (the requests under test are parked on it). */
export function waitForLockWaiters(client: Client, count: number, timeoutMs = 5_000): Promise<void> {
  return waitFor(
    `${count} app connection(s) waiting on a lock`,
    async () => (await appBackends(client)).filter((b) => b.wait_event_type === 'Lock').length >= count,
    timeoutMs,
  );
}
