import type { EntityManager } from '@mikro-orm/core';
import { runQuery } from './sql/sql-runner';

/**
 * Fails with SQLSTATE 25006 when a session on this pool would refuse writes: a read-only database
 * (default_transaction_read_only) or a standby (pg_is_in_recovery() makes every transaction read-only). The SQL
 * runner discards a connection that answers so, so each probe also clears one stale read-only session out of
 * the pool and readiness follows the database within a probe or two once it is writable again.
 */
const ASSERT_WRITABLE = `DO $$ BEGIN
  IF current_setting('transaction_read_only') = 'on' THEN
    RAISE EXCEPTION 'the database accepts no writes' USING ERRCODE = 'read_only_sql_transaction';
  END IF;
END $$`;

export async function assertWritable(em: EntityManager): Promise<void> {
  await runQuery(em, ASSERT_WRITABLE, []);
}
