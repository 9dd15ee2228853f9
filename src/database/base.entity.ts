import { PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Columns every Prefect table has. Defaults live in the database so that raw inserts
 * (the hot paths use SQL) and ORM inserts agree.
 */
export abstract class BaseEntity {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  created!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updated!: Date;
}
