import { EntityRepository } from '@mikro-orm/postgresql';
import type { QueryResultRow } from 'pg';
import { QueryOptions, runQuery } from './sql-runner';

/**
 * A MikroORM repository that answers with raw SQL (`?` placeholders, real bind parameters) in the request's
 * unit of work: inside its transaction when one is open (em.transactional), else on a pooled connection.
 */
export abstract class SqlRepository<E extends object> extends EntityRepository<E> {
  protected rows<R extends QueryResultRow>(
    sql: string,
    params: readonly unknown[] = [],
    options?: QueryOptions,
  ): Promise<R[]> {
    return runQuery<R>(this.em, sql, params, options);
  }

  protected async one<R extends QueryResultRow>(
    sql: string,
    params: readonly unknown[] = [],
    options?: QueryOptions,
  ): Promise<R | undefined> {
    const [row] = await this.rows<R>(sql, params, options);
    return row;
  }
}

/** JSON text for a `?::jsonb` parameter; undefined and null both become SQL NULL. */
export function jsonb(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
