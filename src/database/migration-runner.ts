import type { MikroORM } from '@mikro-orm/core';
import { Client } from 'pg';

/** Any constant works; it only has to be the same for every instance of this app. */
const MIGRATION_LOCK_KEY = 7_346_001;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so several
 * instances starting at once apply each migration exactly once: the first takes the lock
 * and migrates, the others wait, then find nothing pending. The lock lives on its own
 * connection, outside the pool, so a pool of size 1 cannot deadlock on it.
 */
export async function migrateWithLock(orm: MikroORM, clientUrl: string): Promise<string[]> {
  const lock = new Client({ connectionString: clientUrl, application_name: 'flow-registry-migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    // Closing the session releases the lock even if unlock was never reached.
    await lock.end().catch(() => undefined);
  }
}
