import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger, LoggerService } from '@nestjs/common';
import { AppConfig, ConfigError, readConfiguration } from './config/app-config';
import { resolveDatabase } from './database/database-url';
import { describeDatabase } from './database-description';
import { createApp } from './app.factory';
import { trackConnections } from './http/connections';
import { createRootLogger, nestLogger, quietStartup } from './logging/app-logger';
import { runPrimary } from './cluster';
import { appVersion } from './version';

function processLogger(config: Pick<AppConfig, 'logFormat' | 'logLevel'>): LoggerService {
  return quietStartup(
    nestLogger(
      createRootLogger({
        format: config.logFormat,
        level: config.logLevel,
        colour: Boolean(process.stdout.isTTY),
        base: cluster.isWorker ? { worker: cluster.worker?.id } : undefined,
      }),
    ),
  );
}

/** One server process: the whole app when WEB_CONCURRENCY is 1, or one cluster worker. */
async function serve(config: AppConfig): Promise<void> {
  Logger.overrideLogger(processLogger(config));
  const logger = new Logger('Main');
  if (cluster.isPrimary) logger.log(`Flow Registry ${appVersion()} (Node ${process.version}, pid ${process.pid})`);
  const db = await resolveDatabase(config, (line) => logger.log(line));
  if (cluster.isPrimary) logger.log(`database: ${describeDatabase(db.embedded, db.url)}`);
  if (!config.migrateOnStart && cluster.isPrimary)
    logger.log('migrations: not applied at start (MIGRATE_ON_START=false)');

  const app = await createApp({
    config,
    databaseUrl: db.url,
    logBase: cluster.isWorker ? { worker: cluster.worker?.id } : undefined,
  });
  const server = app.getHttpServer();
  const connections = trackConnections(server);
  try {
    await app.listen(config.port, config.host);
  } catch (err) {
    await app.close().catch(() => undefined);
    await db.stop().catch(() => undefined);
    throw listenError(err, config);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}/api`;
  if (cluster.isPrimary) {
    logger.log(`listening on ${base}`);
    logger.log(`docs: ${base}/docs (OpenAPI: ${base}/openapi.json)`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing in-flight requests`);
    const force = setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    try {
      connections.closeIdle();
      await app.close();
      await db.stop();
      logger.log('stopped cleanly');
      process.exit(0);
    } catch (err) {
      logger.error('error during shutdown', err instanceof Error ? err.stack : String(err));
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** A bind failure in words an operator can act on, instead of Node's errno text. */
function listenError(err: unknown, config: AppConfig): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE')
    return new Error(
      `cannot listen on ${where}: the port is already in use by another process; set PORT to a free port`,
    );
  if (code === 'EACCES')
    return new Error(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`);
  if (code === 'EADDRNOTAVAIL') return new Error(`cannot listen on ${where}: HOST is not an address of this machine`);
  return err instanceof Error ? err : new Error(String(err));
}

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = await readConfiguration();
  } catch (err) {
    // The settings that choose the log format may be the invalid ones: fall back to the defaults' choice.
    const format =
      process.env.LOG_FORMAT === 'json' || process.env.LOG_FORMAT === 'pretty' ? process.env.LOG_FORMAT : undefined;
    Logger.overrideLogger(
      processLogger({ logFormat: format ?? (process.stdout.isTTY ? 'pretty' : 'json'), logLevel: 'log' }),
    );
    throw err;
  }
  if (cluster.isPrimary && config.webConcurrency > 1) {
    Logger.overrideLogger(processLogger(config));
    await runPrimary(config);
  } else {
    await serve(config);
  }
}

bootstrap().catch((err) => {
  // A ConfigError lists every invalid variable, an EmbeddedPostgresError and a listen error say what to do: no stack
  // needed for those.
  const expected =
    err instanceof ConfigError ||
    (err instanceof Error && (err.name === 'EmbeddedPostgresError' || err.message.startsWith('cannot listen on')));
  new Logger('Main').error(
    err instanceof Error ? err.message : String(err),
    expected ? undefined : (err as Error).stack,
  );
  // Worker or not, leave through 'exit' so buffered log lines are written.
  process.exitCode = 1;
  setImmediate(() => process.exit(1));
});
