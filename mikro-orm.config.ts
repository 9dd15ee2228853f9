/**
 * Configuration for the `mikro-orm` CLI (npx mikro-orm ...), which needs DATABASE_URL.
 * The npm migration:* scripts (src/cli/migrate.cli.ts) need nothing: they fall back to
 * the embedded PostgreSQL that `npm start` uses. Both share src/database/orm-options.ts.
 */
import 'reflect-metadata';
import { loadConfig } from './src/config/app-config';
import { ormOptions } from './src/database/orm-options';
import { ENTITIES } from './src/entities';

const config = loadConfig();
if (!config.databaseUrl) {
  throw new Error(
    'mikro-orm CLI: set DATABASE_URL, or use `npm run migration:*`, which also works with the embedded database',
  );
}
export default ormOptions(config.databaseUrl, config, ENTITIES);
