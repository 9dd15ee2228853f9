import { ApiProperty } from '@nestjs/swagger';
import type { KeyValueLabels } from '../../labels';

const obj = (nullable = false) =>
  ApiProperty({ type: 'object', additionalProperties: true, nullable, selfRequired: false });
const str = (format?: string) => ApiProperty({ type: String, format, nullable: true, required: false });

/** A deployment as the API returns it (Prefect's key order). */
export class DeploymentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated: string;
  @ApiProperty() name: string;
  @str() version: string | null;
  @str() description: string | null;
  @ApiProperty({ format: 'uuid' }) flow_id: string;
  @ApiProperty({ type: Boolean, default: false, required: false }) paused: boolean;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    required: false,
    description: 'Always [] (schedules are not stored).',
  })
  schedules: unknown[];
  @ApiProperty({ type: 'integer', nullable: true, required: false, deprecated: true }) concurrency_limit: number | null;
  @obj(true) global_concurrency_limit: null;
  @obj(true) concurrency_options: null;
  @obj() job_variables: Record<string, unknown>;
  @obj() parameters: Record<string, unknown>;
  @ApiProperty({ type: [String], required: false }) tags: string[];
  @obj() labels: KeyValueLabels;
  @str() work_queue_name: string | null;
  @str('uuid') work_queue_id: string | null;
  @str('date-time') last_polled: string | null;
  @obj(true) parameter_openapi_schema: Record<string, unknown> | null;
  @str() path: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, nullable: true, required: false }) pull_steps:
    Record<string, unknown>[] | null;
  @str() entrypoint: string | null;
  @str('uuid') storage_document_id: null;
  @str('uuid') infrastructure_document_id: null;
  @obj(true) created_by: null;
  @obj(true) updated_by: null;
  @str() work_pool_name: string | null;
  @ApiProperty({
    enum: ['READY', 'NOT_READY'],
    enumName: 'DeploymentStatus',
    nullable: true,
    default: 'NOT_READY',
    required: false,
  })
  status: string | null;
  @ApiProperty({ type: Boolean, default: true, required: false }) enforce_parameter_schema: boolean;
}
