import { Entity, EntityRepositoryType, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { RunEntity } from '../runs/run.entity';
import { FlowRunEntity } from '../flow-runs/flow-run.entity';
import { TaskRunRepository } from './task-runs.repository';

@Entity({ tableName: 'task_run', repository: () => TaskRunRepository })
@Unique({ name: 'uq_task_run__flow_run_id_task_key_dynamic_key', properties: ['flow_run', 'task_key', 'dynamic_key'] })
// NULLs are distinct in the unique key above, so task runs without a flow run get their own key.
@Index({
  name: 'uq_task_run__task_key_dynamic_key__no_flow_run',
  expression:
    'create unique index "uq_task_run__task_key_dynamic_key__no_flow_run" on "task_run" ("task_key", "dynamic_key") where "flow_run_id" is null',
})
@Index({ name: 'ix_task_run__updated', properties: ['updated'] })
@Index({ name: 'ix_task_run__flow_run_id', properties: ['flow_run'] })
@Index({ name: 'ix_task_run__name', properties: ['name'] })
@Index({ name: 'ix_task_run__state_type', properties: ['state_type'] })
@Index({ name: 'ix_task_run__state_name', properties: ['state_name'] })
@Index({ name: 'ix_task_run__start_time', properties: ['start_time'] })
@Index({ name: 'ix_task_run__end_time', properties: ['end_time'] })
@Index({ name: 'ix_task_run__expected_start_time', properties: ['expected_start_time'] })
@Index({
  name: 'trgm_ix_task_run_name',
  expression: 'create index "trgm_ix_task_run_name" on "task_run" using gin ("name" gin_trgm_ops)',
})
export class TaskRunEntity extends RunEntity {
  [EntityRepositoryType]?: TaskRunRepository;

  @ManyToOne({
    entity: () => FlowRunEntity,
    fieldName: 'flow_run_id',
    nullable: true,
    deleteRule: 'cascade',
    updateRule: 'no action',
    foreignKeyName: 'fk_task_run__flow_run_id__flow_run',
  })
  flow_run?: FlowRunEntity | null;

  @Property({ type: 'varchar', columnType: 'varchar' })
  task_key!: string;

  @Property({ type: 'varchar', columnType: 'varchar' })
  dynamic_key!: string;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  cache_key?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  cache_expiration?: Date | null;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  task_version?: string | null;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  task_inputs: Record<string, unknown> = {};

  @Property({ type: 'integer', defaultRaw: '0' })
  flow_run_run_count = 0;
}
