import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from './config/app-config';
import { resolveDatabase } from './database/database-url';
import { createApp } from './app.factory';
import { AppLogger } from './logging/app-logger';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(new AppLogger(config.logFormat, config.logLevel));
  const logger = new Logger('Main');
  const db = await resolveDatabase(config, (line) => logger.log(line));
  const app = await createApp({ config, databaseUrl: db.url });
  await app.listen(config.port, config.host);
  logger.log(`Flow Registry listening on http://${config.host}:${config.port}/api (docs: /api/docs)`);

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

bootstrap().catch((err) => {
  // A ConfigError lists every invalid variable, an EmbeddedPostgresError says what to do: no stack needed for those.
  const detail =
    err instanceof Error && !['ConfigError', 'EmbeddedPostgresError'].includes(err.name) ? err.stack : undefined;
  new Logger('Main').error(err instanceof Error ? err.message : String(err), detail);
  process.exit(1);
});
