import { Entity, EntityRepositoryType, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { RunEntity } from '../runs/run.entity';
import { FlowEntity } from '../../flows/flow.entity';
import { WorkQueueEntity } from '../work-pools/work-queue.entity';
import type { TaskRunEntity } from '../task-runs/task-run.entity';
import { FlowRunRepository } from './flow-runs.repository';

@Entity({ tableName: 'flow_run', repository: () => FlowRunRepository })
@Unique({ name: 'uq_flow_run__flow_id_idempotency_key', properties: ['flow', 'idempotency_key'] })
@Index({ name: 'ix_flow_run__updated', properties: ['updated'] })
@Index({ name: 'ix_flow_run__flow_id', properties: ['flow'] })
@Index({ name: 'ix_flow_run__name', properties: ['name'] })
@Index({ name: 'ix_flow_run__deployment_id', properties: ['deployment_id'] })
@Index({ name: 'ix_flow_run__work_queue_id', properties: ['work_queue'] })
@Index({ name: 'ix_flow_run__work_queue_name', properties: ['work_queue_name'] })
@Index({ name: 'ix_flow_run__parent_task_run_id', properties: ['parent_task_run'] })
@Index({ name: 'ix_flow_run__state_type', properties: ['state_type'] })
@Index({ name: 'ix_flow_run__state_name', properties: ['state_name'] })
@Index({ name: 'ix_flow_run__start_time', properties: ['start_time'] })
@Index({ name: 'ix_flow_run__end_time', properties: ['end_time'] })
@Index({ name: 'ix_flow_run__expected_start_time', properties: ['expected_start_time'] })
@Index({ name: 'ix_flow_run__next_scheduled_start_time', properties: ['next_scheduled_start_time'] })
@Index({
  name: 'trgm_ix_flow_run_name',
  expression: 'create index "trgm_ix_flow_run_name" on "flow_run" using gin ("name" gin_trgm_ops)',
})
export class FlowRunEntity extends RunEntity {
  [EntityRepositoryType]?: FlowRunRepository;

  @ManyToOne({
    entity: () => FlowEntity,
    fieldName: 'flow_id',
    deleteRule: 'cascade',
    updateRule: 'no action',
    foreignKeyName: 'fk_flow_run__flow_id__flow',
  })
  flow!: FlowEntity;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  flow_version?: string | null;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  parameters: Record<string, unknown> = {};

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  idempotency_key?: string | null;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  context: Record<string, unknown> = {};

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  created_by?: { id: string | null; type: string | null; display_value: string | null } | null;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  job_variables: Record<string, unknown> = {};

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  infrastructure_pid?: string | null;

  @Property({ type: 'uuid', nullable: true })
  infrastructure_document_id?: string | null;

  @Property({ type: 'boolean', defaultRaw: 'false' })
  auto_scheduled = false;

  /** Deliberately not a foreign key (Prefect stores the id verbatim). */
  @Property({ type: 'uuid', nullable: true })
  deployment_id?: string | null;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  deployment_version?: string | null;

  /** The queue name exactly as the create request sent it. */
  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  work_queue_name?: string | null;

  @ManyToOne({
    entity: () => WorkQueueEntity,
    fieldName: 'work_queue_id',
    nullable: true,
    deleteRule: 'set null',
    updateRule: 'no action',
    foreignKeyName: 'fk_flow_run__work_queue_id__work_queue',
  })
  work_queue?: WorkQueueEntity | null;

  @ManyToOne({
    entity: 'TaskRunEntity',
    fieldName: 'parent_task_run_id',
    nullable: true,
    deleteRule: 'set null',
    updateRule: 'no action',
    foreignKeyName: 'fk_flow_run__parent_task_run_id__task_run',
  })
  parent_task_run?: TaskRunEntity | null;
}
