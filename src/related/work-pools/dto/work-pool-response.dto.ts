import { ApiProperty } from '@nestjs/swagger';
import { NAME_PATTERN } from '../../../flows/dto/flow-create.dto';

const STATUSES = ['READY', 'NOT_READY', 'PAUSED'];

/** A work pool as the API returns it (Prefect's key order). */
export class WorkPoolResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated: string;
  @ApiProperty({ pattern: NAME_PATTERN, description: 'The name of the work pool.' }) name: string;
  @ApiProperty({ type: String, nullable: true, required: false }) description: string | null;
  @ApiProperty({ description: 'The work pool type.' }) type: string;
  @ApiProperty({ type: 'object', additionalProperties: true, selfRequired: false }) base_job_template: Record<
    string,
    unknown
  >;
  @ApiProperty({ type: Boolean, default: false, required: false }) is_paused: boolean;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, required: false }) concurrency_limit: number | null;
  @ApiProperty({ enum: STATUSES, enumName: 'WorkPoolStatus', nullable: true, required: false }) status: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, required: false }) default_queue_id: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    selfRequired: false,
    description: 'Always the default (not stored).',
  })
  storage_configuration: Record<string, unknown>;
  @ApiProperty({ type: 'integer', nullable: true, required: false }) active_slots: number | null;
}

/** A work queue as the API returns it (Prefect's key order). */
export class WorkQueueResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated: string;
  @ApiProperty({ pattern: NAME_PATTERN, description: 'The name of the work queue.' }) name: string;
  @ApiProperty({ type: String, nullable: true, required: false }) description: string | null;
  @ApiProperty({ type: Boolean, default: false, required: false }) is_paused: boolean;
  @ApiProperty({ type: 'integer', nullable: true, required: false }) concurrency_limit: number | null;
  @ApiProperty({ type: 'integer', default: 1, required: false }) priority: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, required: false }) work_pool_id: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, selfRequired: false, deprecated: true })
  filter: null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, required: false }) last_polled: string | null;
  @ApiProperty({ type: String, nullable: true, required: false }) work_pool_name: string | null;
  @ApiProperty({ enum: STATUSES, enumName: 'WorkQueueStatus', nullable: true, required: false }) status: string | null;
  @ApiProperty({ type: 'integer', nullable: true, required: false }) active_slots: number | null;
}
