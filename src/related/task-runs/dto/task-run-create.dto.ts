import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf, ValidateNested } from 'class-validator';
import { LABELS_SCHEMA } from '../../../flows/dto/flow-create.dto';
import type { KeyValueLabels } from '../../labels';
import { StateCreate } from '../../runs/state.dto';
import {
  IsDict,
  IsLabels,
  IsLaxDateTime,
  IsLaxUuid,
  IsModel,
  IsStr,
  IsStrList,
  IsText,
  NestedModel,
  NoNulChar,
  pydanticCheck,
  Required,
  SubError,
} from '../../../prefect-compat/validation';

/** Prefect's validate_cache_key_length, at its default PREFECT_API_TASK_CACHE_KEY_MAX_LENGTH (2000 characters). */
const CacheKeyLength = (): PropertyDecorator =>
  pydanticCheck('value_error', (v) =>
    typeof v === 'string' && [...v].length > 2000
      ? [{ msg: 'Value error, Cache key exceeded maximum allowed length of 2000 characters.' }]
      : null,
  );

/** TaskRunPolicy's own validators in Prefect: at most 50 retry delays, and a jitter factor of at least 0. */
const TaskRunPolicyRules = (): PropertyDecorator =>
  pydanticCheck('value_error', (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    const { retry_delay: delays, retry_jitter_factor: jitter } = v as Record<string, unknown>;
    const errors: SubError[] = [];
    if (Array.isArray(delays) && delays.length > 50) {
      errors.push({
        loc: ['retry_delay'],
        msg: 'Value error, Can not configure more than 50 retry delays per task.',
        input: delays,
      });
    }
    if (typeof jitter === 'number' && jitter < 0) {
      errors.push({
        loc: ['retry_jitter_factor'],
        msg: 'Value error, `retry_jitter_factor` must be >= 0.',
        input: jitter,
      });
    }
    return errors.length ? errors : null;
  });

/** Data used by the Prefect REST API to create a task run. */
export class TaskRunCreate {
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The ID to assign to the task run. If not provided, a random UUID will be generated.',
  })
  @IsLaxUuid({ nullable: true })
  id?: string | null;

  @ApiPropertyOptional({
    type: () => StateCreate,
    nullable: true,
    description: 'The state of the task run to create (PENDING when absent)',
  })
  @IsModel({ nullable: true })
  @ValidateIf((o: TaskRunCreate) => o.state !== null)
  @ValidateNested()
  @NestedModel(() => StateCreate)
  state?: StateCreate | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The name of the task run. Defaults to a random slug.',
    example: 'my-task-run',
  })
  @IsText({ nullable: true })
  name?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The flow run id of the task run.',
  })
  @IsLaxUuid({ nullable: true })
  flow_run_id?: string | null;

  @ApiProperty({ description: 'A unique identifier for the task being run.' })
  @Required()
  @IsStr()
  @NoNulChar()
  task_key: string;

  @ApiProperty({
    description: 'A dynamic key used to differentiate between multiple runs of the same task within the same flow run.',
  })
  @Required()
  @IsStr()
  @NoNulChar()
  dynamic_key: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'An optional cache key.' })
  @IsText({ nullable: true })
  @CacheKeyLength()
  cache_key?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Specifies when the cached state should expire.',
  })
  @IsLaxDateTime({ nullable: true })
  cache_expiration?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The version of the task being run.' })
  @IsText({ nullable: true })
  task_version?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The policy for the task run (TaskRunPolicy).',
  })
  @IsDict()
  @TaskRunPolicyRules()
  empirical_policy?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'A list of tags for the task run.' })
  @IsStrList()
  tags?: string[];

  @ApiPropertyOptional({ description: 'A dictionary of key-value labels.', ...LABELS_SCHEMA })
  @IsLabels({ nullable: true })
  labels?: KeyValueLabels | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The inputs to the task run.' })
  @IsDict()
  task_inputs?: Record<string, unknown>;
}
