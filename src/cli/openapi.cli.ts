/** `npm run openapi [-- out.json]`: writes the OpenAPI document without a server or a database. */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config/app-config';
import { createApp } from '../app.factory';
import { buildOpenApiDocument } from '../openapi';

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'openapi.json';
  const config = { ...loadConfig(), logLevel: 'error' as const, migrateOnStart: false };
  const app = await createApp({ config, databaseUrl: 'postgresql://unused@127.0.0.1:1/unused', connect: false });
  writeFileSync(
    out,
    JSON.stringify(buildOpenApiDocument(app, { auth: Boolean(config.apiAuthString) }), null, 2) + '\n',
  );
  await app.close();
  console.log(`wrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
