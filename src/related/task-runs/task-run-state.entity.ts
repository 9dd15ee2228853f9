import { Entity, Index, ManyToOne } from '@mikro-orm/core';
import { RunStateEntity } from '../runs/run-state.entity';
import { TaskRunEntity } from './task-run.entity';

@Entity({ tableName: 'task_run_state' })
@Index({ name: 'ix_task_run_state__type', properties: ['type'] })
@Index({ name: 'ix_task_run_state__name', properties: ['name'] })
@Index({ name: 'ix_task_run_state__updated', properties: ['updated'] })
// Prefect's key: one state per run and instant; it also serves "this run's states, in order".
@Index({
  name: 'uq_task_run_state__task_run_id_timestamp_desc',
  expression:
    'create unique index "uq_task_run_state__task_run_id_timestamp_desc" on "task_run_state" ("task_run_id", "timestamp" desc)',
})
export class TaskRunStateEntity extends RunStateEntity {
  @ManyToOne({
    entity: () => TaskRunEntity,
    fieldName: 'task_run_id',
    deleteRule: 'cascade',
    updateRule: 'no action',
    foreignKeyName: 'fk_task_run_state__task_run_id__task_run',
  })
  task_run!: TaskRunEntity;
}
