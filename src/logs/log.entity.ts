import { Entity, EntityRepositoryType, Index, Property } from '@mikro-orm/core';
import { BaseEntity } from '../database/base.entity';
import { LogRepository } from './logs.repository';

/**
 * A log line a client sent (Prefect's `log` table). The run ids are not foreign keys, as in Prefect: logs may
 * arrive before their run is known here, and outlive it.
 */
@Entity({ tableName: 'log', repository: () => LogRepository })
@Index({ name: 'ix_log__updated', properties: ['updated'] })
@Index({ name: 'ix_log__level', properties: ['level'] })
@Index({ name: 'ix_log__flow_run_id', properties: ['flow_run_id'] })
@Index({ name: 'ix_log__task_run_id', properties: ['task_run_id'] })
@Index({ name: 'ix_log__timestamp', properties: ['timestamp'] })
// A run's logs in time order, what the UI and `read_logs(flow_run_id=…)` ask for.
@Index({ name: 'ix_log__flow_run_id_timestamp', properties: ['flow_run_id', 'timestamp'] })
// The text search (LogFilterTextSearch) matches substrings of this expression.
@Index({
  name: 'trgm_ix_log_text',
  expression: 'create index "trgm_ix_log_text" on "log" using gin ((lower("message" || \' \' || "name")) gin_trgm_ops)',
})
export class LogEntity extends BaseEntity {
  [EntityRepositoryType]?: LogRepository;

  @Property({ type: 'varchar', columnType: 'varchar' })
  name!: string;

  @Property({ type: 'smallint' })
  level!: number;

  @Property({ type: 'uuid', nullable: true })
  flow_run_id?: string | null;

  @Property({ type: 'uuid', nullable: true })
  task_run_id?: string | null;

  @Property({ type: 'text' })
  message!: string;

  /** The client-side time of the log line. */
  @Property({ type: 'timestamptz' })
  timestamp!: Date;
}
