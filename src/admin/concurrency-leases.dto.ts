import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ValidateIf, ValidateNested } from 'class-validator';
import {
  FieldsBody,
  IsEnumValue,
  IsLaxInt,
  IsLaxUuid,
  IsModel,
  IsStrList,
  NestedModel,
  pydanticCheck,
  Required,
} from '../prefect-compat/validation';

const HOLDER_TYPES = ['flow_run', 'task_run', 'deployment'];
const LEASE_SECONDS = { ge: 60, le: 60 * 60 * 24 };

/** Model for validating concurrency lease holder information. */
export class ConcurrencyLeaseHolder {
  @ApiProperty({ enum: HOLDER_TYPES })
  @Required()
  @IsEnumValue(HOLDER_TYPES)
  type: string;

  @ApiProperty({ type: String, format: 'uuid' })
  @Required()
  @IsLaxUuid()
  id: string;
}

/** A number of seconds between 60 and 86400 (pydantic float with ge/le). */
const IsLeaseDuration = (): PropertyDecorator =>
  pydanticCheck('float_parsing', (v) => {
    if (v === undefined) return null;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n))
      return [{ type: 'float_parsing', msg: 'Input should be a valid number, unable to parse string as a number' }];
    if (n < LEASE_SECONDS.ge)
      return [
        {
          type: 'greater_than_equal',
          msg: `Input should be greater than or equal to ${LEASE_SECONDS.ge}`,
          ctx: { ge: LEASE_SECONDS.ge },
        },
      ];
    if (n > LEASE_SECONDS.le)
      return [
        {
          type: 'less_than_equal',
          msg: `Input should be less than or equal to ${LEASE_SECONDS.le}`,
          ctx: { le: LEASE_SECONDS.le },
        },
      ];
    return null;
  });

@ApiSchema({ name: 'Body_bulk_increment_active_slots_with_lease_v2_concurrency_limits_increment_with_lease_post' })
@FieldsBody()
export class IncrementWithLeaseBody {
  @ApiProperty({ type: 'integer', minimum: 1 })
  @Required()
  @IsLaxInt({ ge: 1 })
  slots: number;

  @ApiProperty({ type: [String], minItems: 1 })
  @Required()
  @IsStrList()
  @pydanticCheck('too_short', (v) =>
    Array.isArray(v) && v.length === 0
      ? [
          {
            msg: 'List should have at least 1 item after validation, not 0',
            ctx: { field_type: 'List', min_length: 1, actual_length: 0 },
          },
        ]
      : null,
  )
  names: string[];

  @ApiPropertyOptional({ enum: ['concurrency', 'rate_limit'], default: 'concurrency' })
  @IsEnumValue(['concurrency', 'rate_limit'])
  mode?: string;

  @ApiPropertyOptional({ type: Number, default: 300, minimum: LEASE_SECONDS.ge, maximum: LEASE_SECONDS.le })
  @IsLeaseDuration()
  lease_duration?: number;

  @ApiPropertyOptional({ type: () => ConcurrencyLeaseHolder, nullable: true })
  @ValidateIf((o: IncrementWithLeaseBody) => o.holder !== null && o.holder !== undefined)
  @IsModel({ nullable: true })
  @ValidateNested()
  @NestedModel(() => ConcurrencyLeaseHolder)
  holder?: ConcurrencyLeaseHolder | null;
}

@ApiSchema({ name: 'Body_bulk_decrement_active_slots_with_lease_v2_concurrency_limits_decrement_with_lease_post' })
@FieldsBody()
export class DecrementWithLeaseBody {
  @ApiProperty({
    type: String,
    format: 'uuid',
    description: 'The ID of the lease corresponding to the concurrency limits to decrement.',
  })
  @Required()
  @IsLaxUuid()
  lease_id: string;
}

export class ConcurrencyLimitWithLeaseResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  lease_id: string;

  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Always empty: no limits exist here.' })
  limits: never[];
}
