import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../database/base.entity';
import { WorkPoolEntity } from './work-pool.entity';

@Entity({ tableName: 'work_queue' })
@Unique({ name: 'uq_work_queue__work_pool_id_name', properties: ['work_pool', 'name'] })
@Index({ name: 'ix_work_queue__updated', properties: ['updated'] })
@Index({ name: 'ix_work_queue__work_pool_id', properties: ['work_pool'] })
@Index({ name: 'ix_work_queue__work_pool_id_priority', properties: ['work_pool', 'priority'] })
export class WorkQueueEntity extends BaseEntity {
  @Property({ type: 'varchar', columnType: 'varchar' })
  name!: string;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  description?: string | null;

  @Property({ type: 'boolean', defaultRaw: 'false' })
  is_paused = false;

  @Property({ type: 'integer', nullable: true })
  concurrency_limit?: number | null;

  @Property({ type: 'integer' })
  priority!: number;

  @Property({ type: 'timestamptz', nullable: true })
  last_polled?: Date | null;

  @Property({ type: 'varchar', columnType: 'varchar', defaultRaw: `'NOT_READY'` })
  status = 'NOT_READY';

  @ManyToOne({
    entity: () => WorkPoolEntity,
    fieldName: 'work_pool_id',
    deleteRule: 'cascade',
    updateRule: 'no action',
    foreignKeyName: 'fk_work_queue__work_pool_id__work_pool',
  })
  work_pool!: WorkPoolEntity;
}
