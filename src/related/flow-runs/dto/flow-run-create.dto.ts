import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf, ValidateNested } from 'class-validator';
import { LABELS_SCHEMA } from '../../../flows/dto/flow-create.dto';
import type { KeyValueLabels } from '../../labels';
import { StateCreate } from '../../runs/state.dto';
import {
  IsDict,
  IsLabels,
  IsLaxUuid,
  IsModel,
  IsStrList,
  IsText,
  NestedModel,
  Required,
} from '../../../prefect-compat/validation';

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
  @IsModel({ nullable: true })
  @ValidateIf((o: FlowRunCreate) => o.state !== null)
  @ValidateNested()
  @NestedModel(() => StateCreate)
  state?: StateCreate | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The name of the flow run. Defaults to a random slug if not specified.',
    example: 'my-flow-run',
  })
  @IsText({ nullable: true })
  name?: string | null;

  @ApiProperty({ format: 'uuid', description: 'The id of the flow being run.' })
  @Required()
  @IsLaxUuid()
  flow_id: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The version of the flow being run.' })
  @IsText({ nullable: true })
  flow_version?: string | null;

  @freeObject('The parameters for the flow run.')
  @IsDict()
  parameters?: Record<string, unknown>;

  @freeObject('The context of the flow run.')
  @IsDict()
  context?: Record<string, unknown>;

  @optionalUuid("The id of the run's parent task run, if this is a subflow run.")
  @IsLaxUuid({ nullable: true })
  parent_task_run_id?: string | null;

  @optionalUuid('Accepted and stored; not checked.')
  @IsLaxUuid({ nullable: true })
  infrastructure_document_id?: string | null;

  @freeObject('The empirical policy for the flow run (FlowRunPolicy).')
  @IsDict()
  empirical_policy?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'A list of tags for the flow run.', example: ['tag-1', 'tag-2'] })
  @IsStrList()
  tags?: string[];

  @ApiPropertyOptional({ description: 'A dictionary of key-value labels.', ...LABELS_SCHEMA })
  @IsLabels({ nullable: true })
  labels?: KeyValueLabels | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'An optional idempotency key. If a flow run with the same idempotency key has already been created, the existing flow run will be returned.',
  })
  @IsText({ nullable: true })
  idempotency_key?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The name of the work pool to run this flow run in.',
  })
  @IsText({ nullable: true })
  work_pool_name?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The name of the work pool queue to run this flow run in.',
  })
  @IsText({ nullable: true })
  work_queue_name?: string | null;

  @freeObject('Variables used for the infrastructure of the flow run.', true)
  @IsDict({ nullable: true })
  job_variables?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    deprecated: true,
    description: 'The id of the deployment associated with this flow run (stored verbatim, not checked).',
  })
  @IsLaxUuid({ nullable: true })
  deployment_id?: string | null;
}
