import { Entity, EntityRepositoryType, Index, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../database/base.entity';
import { FlowRepository } from './flows.repository';

export type FlowLabels = Record<string, string | number | boolean> | null;

@Entity({ tableName: 'flow', repository: () => FlowRepository })
@Unique({ name: 'uq_flow__name', properties: ['name'] })
@Index({ name: 'ix_flow__created', properties: ['created'] })
@Index({ name: 'ix_flow__updated', properties: ['updated'] })
// like_ compares the lower-cased name (Column.like): trigrams of lower(name), and a btree walked in name order without
// visiting the table (migration 20261203140000).
@Index({
  name: 'trgm_ix_flow_name_lower',
  expression:
    'create index "trgm_ix_flow_name_lower" on "flow" using gin ((coalesce(case when octet_length("name") <= 600 then lower("name") end, lower("name"))) gin_trgm_ops)',
})
@Index({
  name: 'ix_flow__name_lower',
  expression:
    'create index "ix_flow__name_lower" on "flow" ("name", (case when octet_length("name") <= 600 then lower("name") end)) include ("id")',
})
// Serves `tags @> '[...]'` (tags all_), which a rare tag set needs; jsonb_path_ops is the smaller GIN opclass and
// supports exactly @> (not the ?-operators).
@Index({
  name: 'ix_flow__tags_path',
  expression: 'create index "ix_flow__tags_path" on "flow" using gin ("tags" jsonb_path_ops)',
})
export class FlowEntity extends BaseEntity {
  [EntityRepositoryType]?: FlowRepository;

  @Property({ type: 'varchar', columnType: 'varchar' })
  name!: string;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'[]'` })
  tags: string[] = [];

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  labels?: FlowLabels;
}
