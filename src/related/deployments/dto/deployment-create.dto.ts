import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LABELS_SCHEMA } from '../../../flows/dto/flow-create.dto';
import type { KeyValueLabels } from '../../labels';
import { RequestValidationError } from '../../../prefect-compat/validation/pydantic-error';
import {
  IsDict,
  IsDictList,
  IsLabels,
  IsLaxBool,
  IsLaxInt,
  IsLaxUuid,
  IsList,
  IsStr,
  IsStrList,
  IsText,
  NoNulChar,
  Required,
} from '../../../prefect-compat/validation';
import { pyTruthy } from '../../../prefect-compat/validation/coerce';

const nullableStr = (description: string) => ApiPropertyOptional({ type: String, nullable: true, description });
const freeObject = (description: string, nullable = false) =>
  ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable, description });

/** Keys of older clients that Prefect's `remove_old_deployment_fields` drops before validating. */
const OLD_FIELDS = ['worker_pool_queue_id', 'worker_pool_name', 'worker_pool_queue_name', 'work_pool_queue_name'];

/** Data used by the Prefect REST API to create a deployment (upsert on flow_id + name). */
export class DeploymentCreate {
  /** Prefect's before-validators: the old fields go, and a deployment takes one kind of concurrency limit. */
  static beforeValidation(body: Record<string, unknown>): Record<string, unknown> {
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
  flow_id: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Whether or not the deployment is paused.' })
  @IsLaxBool()
  paused?: boolean;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description: 'A list of schedules for the deployment (accepted; not stored).',
  })
  @IsList()
  schedules?: unknown[];

  @ApiPropertyOptional({
    type: 'integer',
    exclusiveMinimum: true,
    minimum: 0,
    nullable: true,
    description: "The deployment's concurrency limit (accepted; not stored).",
  })
  @IsLaxInt({ gt: 0, nullable: true })
  concurrency_limit?: number | null;

  @freeObject("The deployment's concurrency options (accepted; not stored).", true)
  @IsDict({ nullable: true })
  concurrency_options?: Record<string, unknown> | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Accepted; not stored.' })
  @IsLaxUuid({ nullable: true })
  global_concurrency_limit_id?: string | null;

  @ApiPropertyOptional({
    type: Boolean,
    default: true,
    description: 'Whether or not the deployment should enforce the parameter schema.',
  })
  @IsLaxBool()
  enforce_parameter_schema?: boolean;

  @freeObject('The parameter schema of the flow, including defaults.', true)
  @IsDict({ nullable: true })
  parameter_openapi_schema?: Record<string, unknown> | null;

  @freeObject('Parameters for flow runs scheduled by the deployment.')
  @IsDict()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'A list of deployment tags.' })
  @IsStrList()
  tags?: string[];

  @ApiPropertyOptional({ description: 'A dictionary of key-value labels.', ...LABELS_SCHEMA })
  @IsLabels({ nullable: true })
  labels?: KeyValueLabels | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    nullable: true,
    description: 'Pull steps for cloning and running this deployment.',
  })
  @IsDictList({ nullable: true })
  pull_steps?: Record<string, unknown>[] | null;

  @nullableStr('The work queue for the deployment. If no work queue is set, work will not be scheduled.')
  @IsText({ nullable: true })
  work_queue_name?: string | null;

  @nullableStr("The name of the deployment's work pool.")
  @IsText({ nullable: true })
  work_pool_name?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'A storage block id. This service stores no blocks: any id answers 409, as Prefect does for an unknown one.',
  })
  @IsLaxUuid({ nullable: true })
  storage_document_id?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'An infrastructure block id. This service stores no blocks: any id answers 409, as Prefect does for an unknown one.',
  })
  @IsLaxUuid({ nullable: true })
  infrastructure_document_id?: string | null;

  @nullableStr('A description for the deployment.')
  @IsText({ nullable: true })
  description?: string | null;

  @nullableStr('The path to the working directory for the workflow, relative to remote storage or an absolute path.')
  @IsText({ nullable: true })
  path?: string | null;

  @nullableStr('An optional version for the deployment.')
  @IsText({ nullable: true })
  version?: string | null;

  @nullableStr('The path to the entrypoint for the workflow, relative to the `path`.')
  @IsText({ nullable: true })
  entrypoint?: string | null;

  @freeObject("Overrides for the flow's infrastructure configuration.")
  @IsDict()
  job_variables?: Record<string, unknown>;

  @freeObject('Version information for the deployment (accepted; not stored).', true)
  @IsDict({ nullable: true })
  version_info?: Record<string, unknown> | null;
}
