import type { EntityManager } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type { QueryResultRow } from 'pg';
import { openTransaction } from '../unit-of-work';

interface PgConnection {
  query<R extends QueryResultRow>(config: { text: string; values: unknown[]; name?: string }): Promise<{ rows: R[] }>;
}

const textCache = new Map<string, { text: string; name: string }>();

/**
 * `?` placeholders (the repositories' and knex's style, easy to compose) to PostgreSQL's `$1, $2, …`. The statement
 * texts never contain a literal `?`: JSONB's `?`-operators are written as functions (jsonb_exists_any).
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

/**
 * Runs one statement with real bind parameters on the request's unit of work: inside the fork's transaction when
 * there is one, otherwise on a pooled connection. (MikroORM's `execute()` would inline the values into the SQL
 * text instead, which rules out prepared statements.)
 */
export async function runQuery<R extends QueryResultRow>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions = {},
): Promise<R[]> {
  const { text, name } = prepareText(sql);
  const trx = openTransaction<Knex.Transaction>(em);
  const client = (trx ?? (em.getConnection() as unknown as { getKnex(): Knex }).getKnex()).client as {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(c: PgConnection): Promise<void>;
  };
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query<R>({
      text,
      values: params as unknown[],
      name: options.prepare ? name : undefined,
    });
    return result.rows;
  } finally {
    await client.releaseConnection(connection);
  }
}
