/**
 * The one SQL runner. Every hand-written statement goes through `runQuery`:
 * - values are real bind parameters (`?` placeholders in the text, `$n` on the wire), never text in the statement;
 * - it joins the request's transaction when one is open (`em.transactional()`, or `em.begin()` on the request's
 *   fork), otherwise it takes a pooled connection for just this statement;
 * - with LOG_LEVEL=verbose it logs each statement with its duration and row count, never its values.
 *
 * Why not MikroORM's `em.execute()`: in MikroORM 6 it formats the values into the SQL text, which rules out
 * prepared statements and puts user values into the statement log. The connections come from the knex pool that
 * MikroORM 6 owns (`client.acquireConnection()` / `releaseConnection()`, the calls knex itself uses around every
 * query): this function is the only place that touches knex, so moving to MikroORM 7 (kysely, no knex) changes
 * this file alone.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/postgresql';
import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { QueryResultRow } from 'pg';
import { openTransaction } from '../unit-of-work';

interface PgConnection {
  query<R extends QueryResultRow>(config: {
    text: string;
    values: unknown[];
    name?: string;
  }): Promise<{ rows: R[]; rowCount: number | null }>;
}

interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(c: PgConnection): Promise<void>;
}

const textCache = new Map<string, { text: string; name: string }>();

/**
 * `?` placeholders (easy to compose from fragments) to PostgreSQL's `$1, $2, …`. The statement texts never contain
 * a literal `?`: JSONB's `?`-operators are written as functions or as `@>`.
 */
function prepareText(sql: string): { text: string; name: string } {
  let entry = textCache.get(sql);
  if (!entry) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    entry = { text, name: `fr_${createHash('sha1').update(text).digest('hex').slice(0, 16)}` };
    if (textCache.size < 10_000) textCache.set(sql, entry);
  }
  return entry;
}

export interface QueryOptions {
  /**
   * Reuse a named prepared statement per connection (parse and plan once). Right for point queries by key; wrong
   * for filters, whose best plan depends on the values (see ARCHITECTURE.md's performance facts).
   */
  prepare?: boolean;
}

const statementLog = new Logger('SQL');

/** Runs one statement in the caller's unit of work and returns its rows. */
export async function runQuery<R extends QueryResultRow>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions = {},
): Promise<R[]> {
  const { text, name } = prepareText(sql);
  const trx = openTransaction<Knex.Transaction>(em);
  const client = (trx ?? (em.getConnection() as unknown as { getKnex(): Knex }).getKnex()).client as KnexClient;
  // MikroORM's `debug` flag is on exactly when LOG_LEVEL=verbose (orm-options.ts).
  const started = em.config.get('debug') ? performance.now() : undefined;
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query<R>({
      text,
      values: params as unknown[],
      name: options.prepare ? name : undefined,
    });
    if (started !== undefined) logStatement(text, performance.now() - started, result.rows.length, trx !== undefined);
    return result.rows;
  } catch (err) {
    if (started !== undefined) logStatement(text, performance.now() - started, undefined, trx !== undefined);
    throw err;
  } finally {
    await client.releaseConnection(connection);
  }
}

function logStatement(text: string, ms: number, rows: number | undefined, inTransaction: boolean): void {
  const outcome = rows === undefined ? 'failed' : `${rows} row${rows === 1 ? '' : 's'}`;
  statementLog.verbose(
    `${text.replace(/\s+/g, ' ').trim()} [${ms.toFixed(2)} ms, ${outcome}${inTransaction ? ', in transaction' : ''}]`,
  );
}
