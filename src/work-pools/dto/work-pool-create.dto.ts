import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NAME_PATTERN } from '../../flows/dto/flow-create.dto';
import {
  IsDict,
  IsOptionalStr,
  NonEmptyish,
  NOT_NULL_BOOL,
  NOT_NULL_DICT,
  RejectNull,
} from '../../common/validation/model-validators';
import { IsLaxBool, IsLaxInt, IsStr, MatchesPattern, NoNulChar, Required } from '../../common/validation/validators';

export const STORAGE_CONFIGURATION_DEFAULT = {
  bundle_upload_step: null,
  bundle_execution_step: null,
  default_result_storage_block_id: null,
};

/** Data used by the Prefect REST API to create a work pool. */
export class WorkPoolCreate {
  @ApiProperty({ description: 'The name of the work pool.', pattern: NAME_PATTERN })
  @Required()
  @IsStr()
  @MatchesPattern(NAME_PATTERN, { leaveEmptyTo: 'NonEmptyish' })
  @NonEmptyish()
  @NoNulChar()
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The work pool description.' })
  @IsOptionalStr()
  description?: string | null;

  @ApiPropertyOptional({ description: 'The work pool type.', default: 'prefect-agent' })
  @IsStr()
  @NoNulChar()
  type?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "The work pool's base job template." })
  @IsDict()
  @RejectNull(...NOT_NULL_DICT)
  base_job_template?: Record<string, unknown>;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Pausing the work pool stops the delivery of all work.' })
  @IsLaxBool()
  @RejectNull(...NOT_NULL_BOOL)
  is_paused?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true, description: 'A concurrency limit for the work pool.' })
  @IsLaxInt({ ge: 0 })
  concurrency_limit?: number | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The storage configuration for the work pool (accepted; not stored).' })
  @IsDict()
  @RejectNull(...NOT_NULL_DICT)
  storage_configuration?: Record<string, unknown>;
}
