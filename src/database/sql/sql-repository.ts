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

  /** One page of `select`'s rows that satisfy `where`, in `orderBy` order (the listings' LIMIT/OFFSET query). */
  protected pageWhere<R extends QueryResultRow>(
    select: string,
    where: { sql: string; params: readonly unknown[] },
    orderBy: string,
    page: { limit: number; offset: number },
  ): Promise<R[]> {
    return this.rows<R>(`${select} WHERE ${where.sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`, [
      ...where.params,
      page.limit,
      page.offset,
    ]);
  }

  /** How many rows of `from` (a table and its alias) satisfy `where`. */
  protected async countWhere(from: string, where: { sql: string; params: readonly unknown[] }): Promise<number> {
    const [row] = await this.rows<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${from} WHERE ${where.sql}`,
      where.params,
    );
    return row.count;
  }

  /** Deletes the row of `table` with this id; whether there was one. */
  protected async deleteRowById(table: string, id: string): Promise<boolean> {
    return (await this.rows(`DELETE FROM ${table} WHERE id = ? RETURNING id`, [id])).length > 0;
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
