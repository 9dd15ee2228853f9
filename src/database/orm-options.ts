import { Logger } from '@nestjs/common';
import { defineConfig, EntityClass, Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { migrationsList } from './migrations';
import { requestFork } from './unit-of-work';
import { DISCARDED } from './sql/sql-runner';

/**
 * MikroORM and knex print to the console by default, which would put plain-text lines (migrations applied,
 * "Connection Error: ..." after a database restart) among the JSON log lines. Both go through Nest's logger
 * instead, which the app points at its own logger.
 */
const dbLogger = new Logger('Database');
const knexLog = {
  // knex reports every connection it finds marked for destruction; one the SQL runner discarded on purpose (client
  // gone, driver timeout, read-only session) was already explained where it happened.
  warn: (message: unknown) =>
    String(message).startsWith(`Connection Error: ${DISCARDED}`)
      ? dbLogger.debug(String(message))
      : dbLogger.warn(String(message)),
  error: (message: unknown) => dbLogger.error(String(message)),
  deprecate: (method: unknown, alternative: unknown) =>
    dbLogger.warn(`${String(method)} is deprecated: use ${String(alternative)}`),
  debug: (message: unknown) => dbLogger.debug(typeof message === 'string' ? message : JSON.stringify(message)),
};

type DbSettings = Pick<
  AppConfig,
  'dbPoolMax' | 'dbAcquireTimeoutMs' | 'dbStatementTimeoutMs' | 'dbConnectTimeoutMs' | 'logLevel'
> &
  Partial<Pick<AppConfig, 'dbQueryTimeoutMs'>>;

/**
 * The one MikroORM configuration: used by the app, the tests, the migration CLI and the bench. The entities come
 * from the caller (src/entities.ts lists them), so this folder imports no feature.
 */
export function ormOptions(clientUrl: string, settings: DbSettings, entities: readonly EntityClass<object>[]): Options {
  return defineConfig({
    clientUrl,
    entities: [...entities],
    discovery: { warnWhenNoEntities: true },
    // Entities are listed explicitly; a file cache would only add a temp/ folder (and breaks under jest).
    metadataCache: { enabled: false },
    // Each request works in its own fork (unit-of-work.ts); the global context stays off limits.
    context: requestFork,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // The database is created by its owner (or the embedded launcher), never by the app at boot.
    ensureDatabase: false,
    debug: settings.logLevel === 'verbose',
    colors: false,
    logger: (message: string) => dbLogger.log(message),
    pool: {
      min: 0,
      max: settings.dbPoolMax,
      acquireTimeoutMillis: settings.dbAcquireTimeoutMs,
      idleTimeoutMillis: 30_000,
      // Connections that broke (server restart, network) are dropped by pg's 'error' event;
      // knex/tarn then creates fresh ones on demand.
    },
    driverOptions: {
      log: knexLog,
      connection: {
        statement_timeout: settings.dbStatementTimeoutMs || undefined,
        // Client-side backstop for a server that stopped answering (no reply at all, so no statement timeout).
        // The SQL runner destroys a connection whose statement hit it and cancels the statement on the server.
        query_timeout:
          (settings.dbQueryTimeoutMs ?? (settings.dbStatementTimeoutMs ? settings.dbStatementTimeoutMs + 2_000 : 0)) ||
          undefined,
        connectionTimeoutMillis: settings.dbConnectTimeoutMs,
        keepAlive: true,
        application_name: 'flow-registry',
      },
    },
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      pathTs: join(__dirname, 'migrations').replace(/[\\/]dist[\\/]/, '/'),
      path: join(__dirname, 'migrations'),
      migrationsList,
      snapshot: true,
      snapshotName: '.snapshot-flow-registry',
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? '_' + name : ''}`,
    },
    schemaGenerator: { disableForeignKeys: false, createForeignKeyConstraints: true },
  });
}
