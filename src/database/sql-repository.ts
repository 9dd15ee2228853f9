import { EntityRepository } from '@mikro-orm/postgresql';

/**
 * A MikroORM repository that answers with raw, parameterized SQL (`?` placeholders) on the
 * request's EntityManager fork, inside its transaction when one is open (em.transactional).
 */
export abstract class SqlRepository<E extends object> extends EntityRepository<E> {
  protected async rows<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    const em = this.getEntityManager();
    return em.getConnection().execute<R[]>(sql, params, 'all', em.getTransactionContext());
  }

  protected async one<R>(sql: string, params: unknown[] = []): Promise<R | undefined> {
    const [row] = await this.rows<R>(sql, params);
    return row;
  }
}

/** JSON text for a `?::jsonb` parameter; undefined and null both become SQL NULL. */
export function jsonb(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
