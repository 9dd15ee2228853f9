import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsLabels, IsStr, IsStrList, MatchesPattern, NoNulChar, Required } from '../../prefect-compat/validation';

/** Prefect's name rule for flows (and work pools and queues): no `/ % & > <`, at least one character. */
export const NAME_PATTERN = '^[^/%&><]+$';

/**
 * OpenAPI 3.0 spelling of Prefect's `dict[str, bool | int | float | str] | None` (3.0 has no `type: null`;
 * anyOf because an integer is also a number, so oneOf would reject every integer).
 */
export const LABELS_SCHEMA = {
  type: 'object' as const,
  nullable: true,
  additionalProperties: {
    anyOf: [{ type: 'boolean' }, { type: 'integer' }, { type: 'number' }, { type: 'string' }],
  },
};

export type Labels = Record<string, string | number | boolean>;

/** Data used by the Prefect REST API to create a flow. */
export class FlowCreate {
  @ApiProperty({ description: 'The name of the flow', pattern: NAME_PATTERN, example: 'my-flow' })
  @Required()
  @IsStr()
  @MatchesPattern(NAME_PATTERN)
  @NoNulChar()
  name: string;

  @ApiPropertyOptional({ description: 'A list of flow tags', type: [String], example: ['tag-1', 'tag-2'], default: [] })
  @IsStrList()
  tags?: string[];

  @ApiPropertyOptional({
    description: 'A dictionary of key-value labels. Values can be strings, numbers, or booleans.',
    ...LABELS_SCHEMA,
    example: { key: 'value1', key2: 42 },
  })
  @IsLabels({ nullable: true })
  labels?: Labels | null;
}
