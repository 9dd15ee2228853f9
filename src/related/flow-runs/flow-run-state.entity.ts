import { Entity, Index, ManyToOne } from '@mikro-orm/core';
import { RunStateEntity } from '../runs/run-state.entity';
import { FlowRunEntity } from './flow-run.entity';

@Entity({ tableName: 'flow_run_state' })
@Index({ name: 'ix_flow_run_state__type', properties: ['type'] })
@Index({ name: 'ix_flow_run_state__name', properties: ['name'] })
@Index({ name: 'ix_flow_run_state__updated', properties: ['updated'] })
// Prefect's key: one state per run and instant; it also serves "this run's states, in order".
@Index({
  name: 'uq_flow_run_state__flow_run_id_timestamp_desc',
  expression:
    'create unique index "uq_flow_run_state__flow_run_id_timestamp_desc" on "flow_run_state" ("flow_run_id", "timestamp" desc)',
})
export class FlowRunStateEntity extends RunStateEntity {
  @ManyToOne({
    entity: () => FlowRunEntity,
    fieldName: 'flow_run_id',
    deleteRule: 'cascade',
    updateRule: 'no action',
    foreignKeyName: 'fk_flow_run_state__flow_run_id__flow_run',
  })
  flow_run!: FlowRunEntity;
}
