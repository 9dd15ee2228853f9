import { ApiProperty } from '@nestjs/swagger';
import { STATE_TYPES, StateType } from '../../../database/state-type';
import type { KeyValueLabels } from '../../labels';
import { State } from '../../runs/state.dto';

const obj = (nullable = false) =>
  ApiProperty({ type: 'object', additionalProperties: true, nullable, selfRequired: false });
const str = (format?: string) => ApiProperty({ type: String, format, nullable: true, required: false });
const num = () => ApiProperty({ type: Number, default: 0, required: false });

/** A task run as the API returns it (Prefect's key order). */
export class TaskRun {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated: string;
  @ApiProperty({ required: false }) name: string;
  @str('uuid') flow_run_id: string | null;
  @ApiProperty() task_key: string;
  @ApiProperty() dynamic_key: string;
  @str() cache_key: string | null;
  @str('date-time') cache_expiration: string | null;
  @str() task_version: string | null;
  @obj() empirical_policy: Record<string, unknown>;
  @ApiProperty({ type: [String], required: false }) tags: string[];
  @obj(true) labels: KeyValueLabels | null;
  @str('uuid') state_id: string | null;
  @obj() task_inputs: Record<string, unknown>;
  @ApiProperty({ enum: STATE_TYPES, enumName: 'StateType', nullable: true, required: false })
  state_type: StateType | null;
  @str() state_name: string | null;
  @ApiProperty({ type: 'integer', default: 0, required: false }) run_count: number;
  @ApiProperty({ type: 'integer', default: 0, required: false }) flow_run_run_count: number;
  @str('date-time') expected_start_time: string | null;
  @str('date-time') next_scheduled_start_time: string | null;
  @str('date-time') start_time: string | null;
  @str('date-time') end_time: string | null;
  @num() total_run_time: number;
  @num() estimated_run_time: number;
  @num() estimated_start_time_delta: number;
  @ApiProperty({ type: () => State, nullable: true, required: false }) state: State | null;
}
