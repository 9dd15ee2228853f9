import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LABELS_SCHEMA } from '../../../flows/dto/flow-create.dto';
import type { KeyValueLabels } from '../../labels';
import {
  IsDict,
  IsDictList,
  IsLaxIntGreaterThan,
  IsList,
  IsOptionalStr,
  NOT_NULL_BOOL,
  NOT_NULL_DICT,
  NOT_NULL_UUID,
  RejectNull,
} from '../../../prefect-compat/validation/model-validators';
import { RequestValidationError } from '../../../prefect-compat/validation/pydantic-error';
import {
  IsLabels,
  IsLaxBool,
  IsLaxUuid,
  IsStr,
  IsStrList,
  NoNulChar,
  Required,
  pyTruthy,
} from '../../../prefect-compat/validation/validators';

const nullableStr = (description: string) => ApiPropertyOptional({ type: String, nullable: true, description });
const freeObject = (description: string, nullable = false) =>
  ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable, description });

/** Keys of older clients that Prefect's `remove_old_deployment_fields` drops before validating. */
const OLD_FIELDS = ['worker_pool_queue_id', 'worker_pool_name', 'worker_pool_queue_name', 'work_pool_queue_name'];

/** Data used by the Prefect REST API to create a deployment (upsert on flow_id + name). */
export class DeploymentCreate {
  /** Prefect's before-validators: the old fields go, and a deployment takes one kind of concurrency limit. */
  static preValidate(body: Record<string, unknown>): Record<string, unknown> {
    if (pyTruthy(body.concurrency_limit) && pyTruthy(body.global_concurrency_limit_id)) {
      const msg = 'Value error, A deployment cannot have both a concurrency limit and a global concurrency limit.';
      throw new RequestValidationError([{ type: 'value_error', loc: ['body'], msg, input: body }], body);
    }
    if (!OLD_FIELDS.some((key) => Object.hasOwn(body, key))) return body;
    const kept = { ...body };
    for (const key of OLD_FIELDS) delete kept[key];
    return kept;
  }

  @ApiProperty({ description: 'The name of the deployment.' })
  @Required()
  @IsStr()
  @NoNulChar()
  name: string;

  @ApiProperty({ format: 'uuid', description: 'The ID of the flow associated with the deployment.' })
  @Required()
  @IsLaxUuid()
  @RejectNull(...NOT_NULL_UUID)
  flow_id: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Whether or not the deployment is paused.' })
  @IsLaxBool()
  @RejectNull(...NOT_NULL_BOOL)
  paused?: boolean;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description: 'A list of schedules for the deployment (accepted; not stored).',
  })
  @IsList()
  @RejectNull('list_type', 'Input should be a valid list')
  schedules?: unknown[];

  @ApiPropertyOptional({
    type: 'integer',
    exclusiveMinimum: true,
    minimum: 0,
    nullable: true,
    description: "The deployment's concurrency limit (accepted; not stored).",
  })
  @IsLaxIntGreaterThan(0)
  concurrency_limit?: number | null;

  @freeObject("The deployment's concurrency options (accepted; not stored).", true)
  @IsDict()
  concurrency_options?: Record<string, unknown> | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Accepted; not stored.' })
  @IsLaxUuid()
  global_concurrency_limit_id?: string | null;

  @ApiPropertyOptional({
    type: Boolean,
    default: true,
    description: 'Whether or not the deployment should enforce the parameter schema.',
  })
  @IsLaxBool()
  @RejectNull(...NOT_NULL_BOOL)
  enforce_parameter_schema?: boolean;

  @freeObject('The parameter schema of the flow, including defaults.', true)
  @IsDict()
  parameter_openapi_schema?: Record<string, unknown> | null;

  @freeObject('Parameters for flow runs scheduled by the deployment.')
  @IsDict()
  @RejectNull(...NOT_NULL_DICT)
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'A list of deployment tags.' })
  @IsStrList()
  tags?: string[];

  @ApiPropertyOptional({ description: 'A dictionary of key-value labels.', ...LABELS_SCHEMA })
  @IsLabels()
  labels?: KeyValueLabels | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    nullable: true,
    description: 'Pull steps for cloning and running this deployment.',
  })
  @IsDictList()
  pull_steps?: Record<string, unknown>[] | null;

  @nullableStr('The work queue for the deployment. If no work queue is set, work will not be scheduled.')
  @IsOptionalStr()
  work_queue_name?: string | null;

  @nullableStr("The name of the deployment's work pool.")
  @IsOptionalStr()
  work_pool_name?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'A storage block id. This service stores no blocks: any id answers 409, as Prefect does for an unknown one.',
  })
  @IsLaxUuid()
  storage_document_id?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'An infrastructure block id. This service stores no blocks: any id answers 409, as Prefect does for an unknown one.',
  })
  @IsLaxUuid()
  infrastructure_document_id?: string | null;

  @nullableStr('A description for the deployment.')
  @IsOptionalStr()
  description?: string | null;

  @nullableStr('The path to the working directory for the workflow, relative to remote storage or an absolute path.')
  @IsOptionalStr()
  path?: string | null;

  @nullableStr('An optional version for the deployment.')
  @IsOptionalStr()
  version?: string | null;

  @nullableStr('The path to the entrypoint for the workflow, relative to the `path`.')
  @IsOptionalStr()
  entrypoint?: string | null;

  @freeObject("Overrides for the flow's infrastructure configuration.")
  @IsDict()
  @RejectNull(...NOT_NULL_DICT)
  job_variables?: Record<string, unknown>;

  @freeObject('Version information for the deployment (accepted; not stored).', true)
  @IsDict()
  version_info?: Record<string, unknown> | null;
}
