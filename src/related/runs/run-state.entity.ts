import { Enum, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../database/base.entity';
import { StateType } from '../../database/state-type';

/**
 * One row of a run's state history (Prefect's flow_run_state / task_run_state): every state a run entered, kept
 * after the run has moved on. The run's own `state` column holds the current one; its id is this row's id.
 */
export abstract class RunStateEntity extends BaseEntity {
  @Enum({ items: () => StateType, nativeEnumName: 'state_type' })
  type!: StateType;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  timestamp!: Date;

  @Property({ type: 'varchar', columnType: 'varchar' })
  name!: string;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  message?: string | null;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  state_details: Record<string, unknown> = {};

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  data?: unknown;
}
