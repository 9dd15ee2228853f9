import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ValidateIf, ValidateNested } from 'class-validator';
import { LABELS_SCHEMA } from '../../../flows/dto/flow-create.dto';
import type { KeyValueLabels } from '../../labels';
import { StateCreate } from '../../runs/state.dto';
import {
  IsDict,
  IsOptionalStr,
  NOT_NULL_DICT,
  NOT_NULL_UUID,
  RejectNull,
} from '../../../prefect-compat/validation/model-validators';
import { IsLabels, IsLaxUuid, IsModel, IsStrList, Required } from '../../../prefect-compat/validation/validators';

const optionalUuid = (description: string) =>
  ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description });
const freeObject = (description: string, nullable = false) =>
  ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable, description });

/** Data used by the Prefect REST API to create a flow run. */
export class FlowRunCreate {
  @ApiPropertyOptional({
    type: () => StateCreate,
    nullable: true,
    description: 'The state of the flow run to create (PENDING when absent)',
  })
  @IsModel()
  @ValidateIf((o: FlowRunCreate) => o.state !== null)
  @ValidateNested()
  @Type(() => StateCreate)
  state?: StateCreate | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The name of the flow run. Defaults to a random slug if not specified.',
    example: 'my-flow-run',
  })
  @IsOptionalStr()
  name?: string | null;

  @ApiProperty({ format: 'uuid', description: 'The id of the flow being run.' })
  @Required()
  @IsLaxUuid()
  @RejectNull(...NOT_NULL_UUID)
  flow_id: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The version of the flow being run.' })
  @IsOptionalStr()
  flow_version?: string | null;

  @freeObject('The parameters for the flow run.')
  @IsDict()
  @RejectNull(...NOT_NULL_DICT)
  parameters?: Record<string, unknown>;

  @freeObject('The context of the flow run.')
  @IsDict()
  @RejectNull(...NOT_NULL_DICT)
  context?: Record<string, unknown>;

  @optionalUuid("The id of the run's parent task run, if this is a subflow run.")
  @IsLaxUuid()
  parent_task_run_id?: string | null;

  @optionalUuid('Accepted and stored; not checked.')
  @IsLaxUuid()
  infrastructure_document_id?: string | null;

  @freeObject('The empirical policy for the flow run (FlowRunPolicy).')
  @IsDict()
  @RejectNull(...NOT_NULL_DICT)
  empirical_policy?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'A list of tags for the flow run.', example: ['tag-1', 'tag-2'] })
  @IsStrList()
  tags?: string[];

  @ApiPropertyOptional({ description: 'A dictionary of key-value labels.', ...LABELS_SCHEMA })
  @IsLabels()
  labels?: KeyValueLabels | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'An optional idempotency key. If a flow run with the same idempotency key has already been created, the existing flow run will be returned.',
  })
  @IsOptionalStr()
  idempotency_key?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The name of the work pool to run this flow run in.',
  })
  @IsOptionalStr()
  work_pool_name?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The name of the work pool queue to run this flow run in.',
  })
  @IsOptionalStr()
  work_queue_name?: string | null;

  @freeObject('Variables used for the infrastructure of the flow run.', true)
  @IsDict()
  job_variables?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    deprecated: true,
    description: 'The id of the deployment associated with this flow run (stored verbatim, not checked).',
  })
  @IsLaxUuid()
  deployment_id?: string | null;
}
