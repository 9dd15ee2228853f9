import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Allow, ValidateIf, ValidateNested } from 'class-validator';
import { STATE_TYPES, StateType } from '../../database/state-type';
import { toUtcMicros } from './time';
import {
  FieldsBody,
  IsEnumValue,
  IsLaxBool,
  IsModel,
  IsText,
  NestedModel,
  pydanticCheck,
  Required,
  SubError,
} from '../../prefect-compat/validation';
import { coerceBool, coerceDateTime, coerceUuid } from '../../prefect-compat/validation/coerce';

/** StateDetails keys in Prefect's order, with their defaults. */
export const STATE_DETAILS_DEFAULTS: Record<string, unknown> = {
  flow_run_id: null,
  task_run_id: null,
  child_flow_run_id: null,
  scheduled_time: null,
  cache_key: null,
  cache_expiration: null,
  deferred: false,
  untrackable_result: false,
  pause_timeout: null,
  pause_reschedule: false,
  pause_key: null,
  run_input_keyset: null,
  refresh_cache: null,
  retriable: null,
  transition_id: null,
  task_parameters_id: null,
  traceparent: null,
  deployment_concurrency_lease_id: null,
};

type FieldKind = 'uuid' | 'datetime' | 'bool' | 'optional_bool' | 'str' | 'dict';
const STATE_DETAILS_KINDS: Record<string, FieldKind> = {
  flow_run_id: 'uuid',
  task_run_id: 'uuid',
  child_flow_run_id: 'uuid',
  scheduled_time: 'datetime',
  cache_key: 'str',
  cache_expiration: 'datetime',
  deferred: 'optional_bool',
  untrackable_result: 'bool',
  pause_timeout: 'datetime',
  pause_reschedule: 'bool',
  pause_key: 'str',
  run_input_keyset: 'dict',
  refresh_cache: 'optional_bool',
  retriable: 'optional_bool',
  transition_id: 'uuid',
  task_parameters_id: 'uuid',
  traceparent: 'str',
  deployment_concurrency_lease_id: 'uuid',
};

function coerceDetail(kind: FieldKind, v: unknown): { value?: unknown; error?: SubError } {
  if (v === null)
    return kind === 'bool' ? { error: { type: 'bool_type', msg: 'Input should be a valid boolean' } } : { value: null };
  switch (kind) {
    case 'uuid': {
      const u = coerceUuid(v);
      return u === undefined ? { error: { type: 'uuid_parsing', msg: 'Input should be a valid UUID' } } : { value: u };
    }
    case 'datetime': {
      const d = coerceDateTime(v);
      return d === undefined
        ? { error: { type: 'datetime_from_date_parsing', msg: 'Input should be a valid datetime or date' } }
        : { value: toUtcMicros(d) };
    }
    case 'bool':
    case 'optional_bool': {
      const b = coerceBool(v);
      return b === undefined
        ? { error: { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' } }
        : { value: b };
    }
    case 'str':
      return typeof v === 'string'
        ? { value: v }
        : { error: { type: 'string_type', msg: 'Input should be a valid string' } };
    case 'dict':
      return typeof v === 'object' && !Array.isArray(v)
        ? { value: v }
        : { error: { type: 'dict_type', msg: 'Input should be a valid dictionary' } };
  }
}

/**
 * StateDetails: known keys are coerced (timestamps to UTC with microseconds); unknown keys
 * are ignored, as Prefect's StateDetails model does (it does not forbid extras).
 */
const IsStateDetails = (): PropertyDecorator =>
  pydanticCheck('model_type', (v, args) => {
    if (v === undefined) return null;
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      return [
        { msg: 'Input should be a valid dictionary or instance of StateDetails', ctx: { class_name: 'StateDetails' } },
      ];
    const out: Record<string, unknown> = {};
    const errors: SubError[] = [];
    for (const [key, kind] of Object.entries(STATE_DETAILS_KINDS)) {
      const raw = (v as Record<string, unknown>)[key];
      if (raw === undefined) continue;
      const { value, error } = coerceDetail(kind, raw);
      if (error) errors.push({ ...error, loc: [key], input: raw });
      else out[key] = value;
    }
    if (errors.length) return errors;
    (args.object as Record<string, unknown>)[args.property] = out;
    return null;
  });

/** Data used by the Prefect REST API to create a new state. `timestamp` is not accepted. */
export class StateCreate {
  @ApiProperty({ enum: STATE_TYPES, enumName: 'StateType', description: 'The type of the state to create' })
  @Required()
  @IsEnumValue(STATE_TYPES)
  type: StateType;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The name of the state to create' })
  @IsText({ nullable: true })
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The message of the state to create' })
  @IsText({ nullable: true })
  message?: string | null;

  @ApiPropertyOptional({ description: 'The data of the state to create', nullable: true })
  @Allow()
  data?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The details of the state to create',
  })
  @IsStateDetails()
  state_details?: Record<string, unknown>;
}

/** The request body of `set_state`: a named-fields body (`state` required, `force` default false). */
@FieldsBody()
export class SetStateBody {
  @ApiProperty({ type: () => StateCreate, description: 'The intended state.' })
  @Required()
  @IsModel()
  @ValidateIf((o: SetStateBody) => o.state !== null)
  @ValidateNested()
  @NestedModel(() => StateCreate)
  state: StateCreate;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'If false, orchestration rules will be applied that may alter or prevent the state transition. If True, orchestration rules are not applied.',
  })
  @IsLaxBool()
  force?: boolean;
}

// Prefect's schema names for the two set_state bodies (class names name the OpenAPI schemas).
@FieldsBody()
export class Body_set_flow_run_state_flow_runs__id__set_state_post extends SetStateBody {}
@FieldsBody()
export class Body_set_task_run_state_task_runs__id__set_state_post extends SetStateBody {}

/** A state as the API returns it. */
export class State {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: STATE_TYPES, enumName: 'StateType' })
  type: StateType;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  timestamp: string;

  @ApiProperty({ type: String, nullable: true })
  message: string | null;

  @ApiProperty({ nullable: true, description: 'Data associated with the state, e.g. a result.' })
  data: unknown;

  @ApiProperty({ type: 'object', additionalProperties: true })
  state_details: Record<string, unknown>;
}

export class StateAcceptDetails {
  @ApiProperty({ type: String, default: 'accept_details' })
  type: 'accept_details';
}

export class StateRejectDetails {
  @ApiProperty({ type: String, default: 'reject_details' })
  type: 'reject_details';

  @ApiPropertyOptional({ type: String, nullable: true })
  reason?: string | null;
}

export class StateWaitDetails {
  @ApiProperty({ type: String, default: 'wait_details' })
  type: 'wait_details';

  @ApiProperty({ type: 'integer', default: 0 })
  delay_seconds: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  reason?: string | null;
}

export class StateAbortDetails {
  @ApiProperty({ type: String, default: 'abort_details' })
  type: 'abort_details';

  @ApiPropertyOptional({ type: String, nullable: true })
  reason?: string | null;
}

/** The result of an orchestration call (set_state). */
@ApiExtraModels(StateAcceptDetails, StateWaitDetails, StateRejectDetails, StateAbortDetails)
export class OrchestrationResult {
  @ApiProperty({ type: () => State, nullable: true })
  state: State | null;

  @ApiProperty({ enum: ['ACCEPT', 'REJECT', 'ABORT', 'WAIT'], enumName: 'SetStateStatus' })
  status: 'ACCEPT' | 'REJECT' | 'ABORT' | 'WAIT';

  @ApiProperty({
    // anyOf, as pydantic writes a union: the four detail shapes overlap (all have `type`).
    anyOf: [StateAcceptDetails, StateWaitDetails, StateRejectDetails, StateAbortDetails].map((cls) => ({
      $ref: getSchemaPath(cls),
    })),
  })
  details: StateAcceptDetails | StateWaitDetails | StateRejectDetails | StateAbortDetails;
}
