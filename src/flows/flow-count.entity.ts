import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The exact number of flows, spread over 16 slots that triggers on `flow` keep up to date
 * (migration 20261126233000). Never written by the app; declared so the schema tooling knows the table.
 */
@Entity({ tableName: 'flow_count' })
export class FlowCountEntity {
  @PrimaryKey({ type: 'smallint', columnType: 'int2', autoincrement: false })
  slot!: number;

  @Property({ type: 'bigint', columnType: 'int8', default: 0 })
  n!: string;
}
