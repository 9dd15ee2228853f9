import { Enum, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../database/base.entity';
import { StateType } from '../../database/state-type';

/** The columns flow runs and task runs share: their name, tags and labels, current state, and derived times. */
export abstract class RunEntity extends BaseEntity {
  @Property({ type: 'varchar', columnType: 'varchar' })
  name!: string;

  @Enum({ items: () => StateType, nativeEnumName: 'state_type', nullable: true })
  state_type?: StateType | null;

  @Property({ type: 'varchar', columnType: 'varchar', nullable: true })
  state_name?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  state_timestamp?: Date | null;

  /** The current state object as returned by the API (id, type, name, timestamp, message, state_details, data). */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  state?: Record<string, unknown> | null;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  empirical_policy: Record<string, unknown> = {};

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'[]'` })
  tags: string[] = [];

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  labels?: Record<string, unknown> | null;

  @Property({ type: 'integer', defaultRaw: '0' })
  run_count = 0;

  @Property({ type: 'double', columnType: 'double precision', defaultRaw: '0' })
  total_run_time = 0;

  @Property({ type: 'timestamptz', nullable: true })
  expected_start_time?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  next_scheduled_start_time?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  start_time?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  end_time?: Date | null;
}
