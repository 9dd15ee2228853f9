import { migrate, recreateDatabase, startTestServer, TEMPLATE_DB } from './test-database';

export default async function globalSetup(): Promise<void> {
  const server = await startTestServer();
  const templateUrl = await recreateDatabase(server.url, TEMPLATE_DB);
  migrate(templateUrl);
  process.env.TEST_PG_SERVER_URL = server.url;
  (globalThis as { __testPg?: typeof server }).__testPg = server;
}
