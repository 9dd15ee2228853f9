import { Entity, EntityRepositoryType, Index, OneToOne, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../database/base.entity';
import type { WorkQueueEntity } from './work-queue.entity';
import { WorkPoolRepository } from './work-pools.repository';

@Entity({ tableName: 'work_pool', repository: () => WorkPoolRepository })
@Unique({ name: 'uq_work_pool__name', properties: ['name'] })
@Index({ name: 'ix_work_pool__updated', properties: ['updated'] })
@Index({ name: 'ix_work_pool__type', properties: ['type'] })
export class WorkPoolEntity extends BaseEntity {
  [EntityRepositoryType]?: WorkPoolRepository;

  @Property({ type: 'varchar', columnType: 'varchar' })
  name!: string;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  description?: string | null;

  @Property({ type: 'varchar', columnType: 'varchar' })
  type!: string;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  base_job_template: Record<string, unknown> = {};

  @Property({ type: 'boolean', defaultRaw: 'false' })
  is_paused = false;

  @Property({ type: 'integer', nullable: true })
  concurrency_limit?: number | null;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  status?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  last_transitioned_status_at?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  last_status_event_id?: string | null;

  @OneToOne({
    entity: 'WorkQueueEntity',
    fieldName: 'default_queue_id',
    nullable: true,
    owner: true,
    deleteRule: 'restrict',
    updateRule: 'no action',
    foreignKeyName: 'fk_work_pool__default_queue_id__work_queue',
    unique: false,
  })
  default_queue?: WorkQueueEntity | null;
}
