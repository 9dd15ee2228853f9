import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NAME_PATTERN } from '../../../flows/dto/flow-create.dto';
import {
  IsDict,
  IsLaxBool,
  IsLaxInt,
  IsStr,
  IsText,
  MatchesPattern,
  NoNulChar,
  Required,
} from '../../../prefect-compat/validation';

/** Data used by the Prefect REST API to create a work queue. */
export class WorkQueueCreate {
  @ApiProperty({ description: 'The name of the work queue.', pattern: NAME_PATTERN })
  @Required()
  @IsStr()
  @MatchesPattern(NAME_PATTERN)
  @NoNulChar()
  name: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    default: '',
    description: 'An optional description for the work queue.',
  })
  @IsText({ nullable: true })
  description?: string | null;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Whether or not the work queue is paused.' })
  @IsLaxBool()
  is_paused?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    nullable: true,
    description: "The work queue's concurrency limit.",
  })
  @IsLaxInt({ ge: 0, nullable: true })
  concurrency_limit?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    exclusiveMinimum: true,
    minimum: 0,
    nullable: true,
    description: "The queue's priority. Lower values are higher priority (1 is the highest).",
  })
  @IsLaxInt({ gt: 0, nullable: true })
  priority?: number | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    deprecated: true,
    description: 'DEPRECATED: Filter criteria for the work queue (accepted; not stored).',
  })
  @IsDict({ nullable: true })
  filter?: Record<string, unknown> | null;
}
