import { Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import request from 'supertest';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createApp } from '../../src/app.factory';
import { recreateDatabase, TABLES, TEMPLATE_DB } from './test-database';

export interface TestContext {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  /** A direct connection for seeding and assertions (never through the API under test). */
  sql: Client;
  databaseUrl: string;
  config: AppConfig;
  truncate(): Promise<void>;
  close(): Promise<void>;
}

let workerDbUrl: Promise<string> | undefined;

/** This jest worker's own database, cloned once from the migrated template. */
export function workerDatabase(): Promise<string> {
  const server = process.env.TEST_PG_SERVER_URL;
  if (!server) throw new Error('TEST_PG_SERVER_URL is not set: run the tests through `npm test` (jest globalSetup)');
  workerDbUrl ??= recreateDatabase(server, `flow_registry_test_w${process.env.JEST_WORKER_ID ?? '1'}`, TEMPLATE_DB);
  return workerDbUrl;
}

/** An app built by the production factory on this worker's database. */
export async function startTestApp(
  overrides: Partial<AppConfig> = {},
  extraModules: Type[] = [],
): Promise<TestContext> {
  const databaseUrl = await workerDatabase();
  const config: AppConfig = { ...loadConfig({}), logLevel: 'error', migrateOnStart: false, ...overrides };
  const app = await createApp({ config, databaseUrl, extraModules });
  await app.listen(0, '127.0.0.1');
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  return {
    app,
    http: request(app.getHttpServer()),
    sql,
    databaseUrl,
    config,
    truncate: async () => {
      await sql.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
    },
    close: async () => {
      await sql.end();
      await app.close();
    },
  };
}
