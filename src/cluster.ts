import cluster, { Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { resolveDatabase } from './database/database-url';
import { describeDatabase } from './database-description';
import { appVersion } from './version';

/**
 * WEB_CONCURRENCY > 1: this process is the cluster's primary. It starts the embedded PostgreSQL (once, when
 * DATABASE_URL is unset) and forks that many workers, each a whole server on the same port (Node's cluster module
 * hands connections to them in turn). It serves no request itself.
 *
 * Migrations: every worker runs its usual start-up migration under the PostgreSQL advisory lock
 * (migration-runner.ts), so the first applies what is pending and the others wait for it and find nothing to do.
 * That keeps one code path for one process, N workers and N hosts, and keeps the background retry while the
 * database is down, which a migration in the primary before forking would have to duplicate.
 */
export async function runPrimary(config: AppConfig): Promise<void> {
  const logger = new Logger('Cluster');
  const workers = config.webConcurrency;
  logger.log(`Flow Registry ${appVersion()} (Node ${process.version}, pid ${process.pid}), ${workers} workers`);
  const db = await resolveDatabase(config, (line) => logger.log(line));
  logger.log(`database: ${describeDatabase(db.embedded, db.url)}`);
  if (!config.migrateOnStart) logger.log('migrations: not applied at start (MIGRATE_ON_START=false)');

  const env = { DATABASE_URL: db.url };
  const listening = new Set<number>();
  let stopping = false;
  let failed = false;

  const stopAll = (signal: NodeJS.Signals) => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  const finish = async () => {
    await db.stop().catch((err) => logger.error(`stopping the database: ${(err as Error).message}`));
    if (!failed) logger.log('stopped cleanly');
    process.exit(failed ? 1 : 0);
  };
  const shutdown = (signal: string, reason?: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(reason ?? `${signal} received: stopping ${workers} workers (each finishes its in-flight requests)`);
    stopAll('SIGTERM');
    // Workers exit on their own timeout; this one only covers a worker that hangs past it.
    const force = setTimeout(() => {
      logger.error(`workers still running ${config.shutdownTimeoutMs + 2_000} ms after ${signal}; killing them`);
      failed = true;
      stopAll('SIGKILL');
    }, config.shutdownTimeoutMs + 2_000);
    force.unref();
  };

  cluster.on('listening', (worker: Worker, address) => {
    listening.add(worker.id);
    if (listening.size === workers && !stopping) {
      const base = `http://${config.host}:${address.port}/api`;
      logger.log(`listening on ${base} (${workers} workers)`);
      logger.log(`docs: ${base}/docs (OpenAPI: ${base}/openapi.json)`);
    }
  });
  cluster.on('exit', (worker: Worker, code, signal) => {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      if (code !== 0) failed = true;
      if (Object.keys(cluster.workers ?? {}).length === 0) void finish();
      return;
    }
    if (!listening.has(worker.id)) {
      // A start-up failure (port in use, bad database URL) would only repeat: stop instead of looping.
      failed = true;
      shutdown('exit', `worker ${worker.id} exited (${how}) before it was serving; stopping`);
      if (Object.keys(cluster.workers ?? {}).length === 0) void finish();
      return;
    }
    logger.error(`worker ${worker.id} (pid ${worker.process.pid}) died (${how}); starting a new one`);
    listening.delete(worker.id);
    cluster.fork(env);
  });

  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  for (let i = 0; i < workers; i++) cluster.fork(env);
}
