import { resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseTarget {
  url: string;
  /** True when this process started the server (and stops it on shutdown). */
  embedded: boolean;
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE_NAME = 'flow_registry';

/** DATABASE_URL when set; otherwise a persistent embedded PostgreSQL in EMBEDDED_PG_DIR. */
export async function resolveDatabase(config: AppConfig, log?: (l: string) => void): Promise<DatabaseTarget> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  const pg = await startEmbeddedPostgres({
    dataDir: resolve(config.embeddedPgDir),
    port: config.embeddedPgPort,
    anyPortIfTaken: !config.embeddedPgPortSet,
    database: EMBEDDED_DATABASE_NAME,
    log,
  });
  return { url: pg.url, embedded: true, stop: () => pg.stop() };
}
