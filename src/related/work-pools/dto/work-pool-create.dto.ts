import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NAME_PATTERN } from '../../../flows/dto/flow-create.dto';
import {
  IsDict,
  IsLaxBool,
  IsLaxInt,
  IsStr,
  IsText,
  MatchesPattern,
  NonEmptyish,
  NoNulChar,
  pydanticCheck,
  Required,
} from '../../../prefect-compat/validation';

export const STORAGE_CONFIGURATION_DEFAULT = {
  bundle_upload_step: null,
  bundle_execution_step: null,
  default_result_storage_block_id: null,
};

/** `{{ name }}` placeholders, as Prefect's templating finds them (in JSON text, where only ASCII spaces remain). */
const PLACEHOLDER = /\{\{[ \t\n\r\f\v]*([\w.\-[\]$]+)[ \t\n\r\f\v]*\}\}/g;

/**
 * Prefect's validate_base_job_template: an empty template, or one with a `job_configuration` and a `variables`
 * schema that declares every variable the configuration's `{{ placeholders }}` use.
 */
const BaseJobTemplateRules = (): PropertyDecorator =>
  pydanticCheck('value_error', (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.keys(v).length === 0) return null;
    const { job_configuration: config, variables } = v as Record<string, unknown>;
    const filled = (x: unknown) => typeof x === 'object' && x !== null && Object.keys(x).length > 0;
    if (!filled(config) || !filled(variables)) {
      return [
        {
          msg: 'Value error, The `base_job_template` must contain both a `job_configuration` key and a `variables` key.',
        },
      ];
    }
    const used = new Set<string>();
    for (const template of Object.values(config as Record<string, unknown>)) {
      for (const match of JSON.stringify(template ?? null).matchAll(PLACEHOLDER)) used.add(match[1]);
    }
    const properties = (variables as Record<string, unknown>).properties;
    const declared = new Set(typeof properties === 'object' && properties !== null ? Object.keys(properties) : []);
    const missing = [...used].filter((name) => !declared.has(name));
    if (missing.length === 0) return null;
    return [
      {
        msg:
          'Value error, The variables specified in the job configuration template must be present as properties in the ' +
          `variables schema. Your job configuration uses the following undeclared variable(s): ${missing.join(' ,')}.`,
      },
    ];
  });

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
  @IsText({ nullable: true })
  description?: string | null;

  @ApiPropertyOptional({ description: 'The work pool type.', default: 'prefect-agent' })
  @IsStr()
  @NoNulChar()
  type?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: "The work pool's base job template.",
  })
  @IsDict()
  @BaseJobTemplateRules()
  base_job_template?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Pausing the work pool stops the delivery of all work.',
  })
  @IsLaxBool()
  is_paused?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    nullable: true,
    description: 'A concurrency limit for the work pool.',
  })
  @IsLaxInt({ ge: 0, nullable: true })
  concurrency_limit?: number | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The storage configuration for the work pool (accepted; not stored).',
  })
  @IsDict()
  storage_configuration?: Record<string, unknown>;
}
