import { Entity, EntityRepositoryType, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../database/base.entity';
import { FlowEntity } from '../../flows/flow.entity';
import { WorkQueueEntity } from '../work-pools/work-queue.entity';
import { DeploymentRepository } from './deployments.repository';

@Entity({ tableName: 'deployment', repository: () => DeploymentRepository })
@Unique({ name: 'uq_deployment__flow_id_name', properties: ['flow', 'name'] })
@Index({ name: 'ix_deployment__updated', properties: ['updated'] })
@Index({ name: 'ix_deployment__flow_id', properties: ['flow'] })
@Index({ name: 'ix_deployment__work_queue_id', properties: ['work_queue'] })
@Index({ name: 'ix_deployment__work_queue_name', properties: ['work_queue_name'] })
@Index({ name: 'ix_deployment__paused', properties: ['paused'] })
@Index({
  name: 'trgm_ix_deployment_name',
  expression: 'create index "trgm_ix_deployment_name" on "deployment" using gin ("name" gin_trgm_ops)',
})
export class DeploymentEntity extends BaseEntity {
  [EntityRepositoryType]?: DeploymentRepository;

  @Property({ type: 'varchar', columnType: 'varchar' })
  name!: string;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  version?: string | null;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'boolean', defaultRaw: 'false' })
  paused = false;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'[]'` })
  tags: string[] = [];

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  labels?: Record<string, unknown> | null;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  parameters: Record<string, unknown> = {};

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  job_variables: Record<string, unknown> = {};

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  pull_steps?: unknown[] | null;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  parameter_openapi_schema?: Record<string, unknown> | null;

  @Property({ type: 'boolean', defaultRaw: 'true' })
  enforce_parameter_schema = true;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  entrypoint?: string | null;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  path?: string | null;

  @Property({ type: 'varchar', columnType: 'varchar', defaultRaw: `'NOT_READY'` })
  status = 'NOT_READY';

  @Property({ type: 'timestamptz', nullable: true })
  last_polled?: Date | null;

  /** The queue name exactly as the create request sent it (NULL when only a pool was given). */
  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  work_queue_name?: string | null;

  @ManyToOne({
    entity: () => FlowEntity,
    fieldName: 'flow_id',
    deleteRule: 'cascade',
    updateRule: 'no action',
    foreignKeyName: 'fk_deployment__flow_id__flow',
  })
  flow!: FlowEntity;

  @ManyToOne({
    entity: () => WorkQueueEntity,
    fieldName: 'work_queue_id',
    nullable: true,
    deleteRule: 'set null',
    updateRule: 'no action',
    foreignKeyName: 'fk_deployment__work_queue_id__work_queue',
  })
  work_queue?: WorkQueueEntity | null;
}
