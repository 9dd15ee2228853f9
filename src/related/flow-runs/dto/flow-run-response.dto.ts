import { ApiProperty } from '@nestjs/swagger';
import { STATE_TYPES, StateType } from '../../../database/state-type';
import type { KeyValueLabels } from '../../labels';
import { State } from '../../runs/state.dto';

const obj = (nullable = false) =>
  ApiProperty({ type: 'object', additionalProperties: true, nullable, selfRequired: false });
const str = (format?: string) => ApiProperty({ type: String, format, nullable: true, required: false });
const num = (defaultValue = 0) => ApiProperty({ type: Number, default: defaultValue, required: false });

export class CreatedBy {
  @str('uuid') id: string | null;
  @str() type: string | null;
  @str() display_value: string | null;
}

/** A flow run as the API returns it (Prefect's key order). */
export class FlowRunResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated: string;
  @ApiProperty({ required: false }) name: string;
  @ApiProperty({ format: 'uuid' }) flow_id: string;
  @str('uuid') state_id: string | null;
  @str('uuid') deployment_id: string | null;
  @str() deployment_version: string | null;
  @str('uuid') work_queue_id: string | null;
  @str() work_queue_name: string | null;
  @str() flow_version: string | null;
  @obj() parameters: Record<string, unknown>;
  @str() idempotency_key: string | null;
  @obj() context: Record<string, unknown>;
  @obj() empirical_policy: Record<string, unknown>;
  @ApiProperty({ type: [String], required: false }) tags: string[];
  @obj() labels: KeyValueLabels;
  @str('uuid') parent_task_run_id: string | null;
  @ApiProperty({ enum: STATE_TYPES, enumName: 'StateType', nullable: true, required: false })
  state_type: StateType | null;
  @str() state_name: string | null;
  @ApiProperty({ type: 'integer', default: 0, required: false }) run_count: number;
  @str('date-time') expected_start_time: string | null;
  @str('date-time') next_scheduled_start_time: string | null;
  @str('date-time') start_time: string | null;
  @str('date-time') end_time: string | null;
  @num() total_run_time: number;
  @num() estimated_run_time: number;
  @num() estimated_start_time_delta: number;
  @ApiProperty({ type: Boolean, default: false, required: false }) auto_scheduled: boolean;
  @str('uuid') infrastructure_document_id: string | null;
  @str() infrastructure_pid: string | null;
  @ApiProperty({ type: () => CreatedBy, nullable: true, required: false }) created_by: CreatedBy | null;
  @str('uuid') work_pool_id: string | null;
  @str() work_pool_name: string | null;
  @ApiProperty({ type: () => State, nullable: true, required: false }) state: State | null;
  @obj(true) job_variables: Record<string, unknown> | null;
}
