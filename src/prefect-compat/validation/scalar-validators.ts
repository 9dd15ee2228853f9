/**
 * Property decorators for single values, each speaking pydantic: one concern per decorator, values of another
 * type pass through to the decorator that owns them, so a wrong value yields one error, as in pydantic. Those that
 * coerce (compat C5) write the normalised value back onto the DTO.
 */
import { applyDecorators } from '@nestjs/common';
import {
  coerceBool,
  coerceDateTime,
  coerceInt,
  coerceUuid,
  enumError,
  isPlainObject,
  textError,
  uuidError,
} from './coerce';
import { assign, NullableOption, one, pydanticCheck, typedCheck } from './pydantic-check';

/** The key must be present (pydantic `missing`); `input` is the object that lacks it. */
export const Required = (): PropertyDecorator =>
  pydanticCheck('missing', (value, args) =>
    value === undefined ? one('Field required', { input: args.object }) : null,
  );

const STRING_TYPE = { type: 'string_type', msg: 'Input should be a valid string' };

/**
 * A JSON string; numbers and booleans are not coerced (pydantic lax mode for str). With `nullable`, null counts
 * as not given (Prefect's filter models dump every unset field as null).
 */
export const IsStr = (options: NullableOption = {}): PropertyDecorator =>
  typedCheck('string_type', STRING_TYPE, options, (v) => (typeof v === 'string' ? null : [STRING_TYPE]));

/** Rejects text PostgreSQL cannot store (compat V4); other types are IsStr's concern. */
export const NoNulChar = (): PropertyDecorator =>
  pydanticCheck('value_error', (v) => {
    const error = typeof v === 'string' ? textError(v) : undefined;
    return error ? [error] : null;
  });

/** A stored string: IsStr plus NoNulChar. */
export const IsText = (options: NullableOption = {}): PropertyDecorator => applyDecorators(IsStr(options), NoNulChar());

/**
 * `leaveEmptyTo`: the empty string is another validator's error (NonEmptyish runs first in Prefect's
 * work-pool names), so the pattern does not report it a second time.
 */
export const MatchesPattern = (pattern: string, options: { leaveEmptyTo?: 'NonEmptyish' } = {}): PropertyDecorator => {
  const re = new RegExp(pattern, 'u');
  return pydanticCheck('string_pattern_mismatch', (v) =>
    typeof v === 'string' && !(options.leaveEmptyTo && v === '') && !re.test(v)
      ? one(`String should match pattern '${pattern}'`, { ctx: { pattern } })
      : null,
  );
};

/** Prefect's `NonEmptyishName`: a name that is blank or only quotes is rejected. */
export const NonEmptyish = (): PropertyDecorator =>
  pydanticCheck('value_error', (v) =>
    typeof v === 'string' && v.replace(/^['" ]+|['" ]+$/g, '') === ''
      ? [{ msg: 'Value error, name cannot be an empty string' }]
      : null,
  );

const BOOL_TYPE = { type: 'bool_type', msg: 'Input should be a valid boolean' };

export const IsLaxBool = (options: NullableOption = {}): PropertyDecorator =>
  typedCheck('bool_parsing', BOOL_TYPE, options, (v, args) => {
    const b = coerceBool(v);
    if (b === undefined) return one('Input should be a valid boolean, unable to interpret input');
    assign(args, b);
    return null;
  });

export interface IntBounds extends NullableOption {
  ge?: number;
  le?: number;
  /** pydantic `gt` (`greater_than`), e.g. a queue priority (> 0). */
  gt?: number;
}

const INT_TYPE = { type: 'int_type', msg: 'Input should be a valid integer' };

/** Lax int with optional bounds (greater_than_equal / less_than_equal / greater_than). */
export const IsLaxInt = ({ ge, le, gt, ...options }: IntBounds = {}): PropertyDecorator =>
  typedCheck('int_type', INT_TYPE, options, (v, args) => {
    const { value, error } = coerceInt(v);
    if (error) return [error];
    const n = value as number;
    if (ge !== undefined && n < ge)
      return [{ type: 'greater_than_equal', msg: `Input should be greater than or equal to ${ge}`, ctx: { ge } }];
    if (le !== undefined && n > le)
      return [{ type: 'less_than_equal', msg: `Input should be less than or equal to ${le}`, ctx: { le } }];
    if (gt !== undefined && n <= gt)
      return [{ type: 'greater_than', msg: `Input should be greater than ${gt}`, ctx: { gt } }];
    assign(args, n);
    return null;
  });

export const IsLaxUuid = (options: NullableOption = {}): PropertyDecorator =>
  typedCheck('uuid_parsing', uuidError(null), options, (v, args) => {
    const u = coerceUuid(v);
    if (u === undefined) return [uuidError(v)];
    assign(args, u);
    return null;
  });

/** A value of a string enum, matched exactly (case included). */
export const IsEnumValue = (values: readonly string[], options: NullableOption = {}): PropertyDecorator =>
  typedCheck('enum', enumError(values), options, (v) => (values.includes(v as string) ? null : [enumError(values)]));

export const IsLaxDateTime = (options: NullableOption = {}): PropertyDecorator =>
  typedCheck(
    'datetime_from_date_parsing',
    { type: 'datetime_type', msg: 'Input should be a valid datetime' },
    options,
    (v, args) => {
      const iso = coerceDateTime(v);
      if (iso === undefined)
        return one('Input should be a valid datetime or date, invalid character in year', {
          type: typeof v === 'string' ? 'datetime_from_date_parsing' : 'datetime_type',
        });
      assign(args, iso);
      return null;
    },
  );

const MODEL_TYPE = {
  type: 'model_attributes_type',
  msg: 'Input should be a valid dictionary or object to extract fields from',
};

/**
 * A nested model must be a JSON object. FastAPI validates bodies with `from_attributes`, so pydantic
 * reports `model_attributes_type` for anything else. Pair with @ValidateNested() and @Type(); the
 * pipe drops nested errors of a non-object.
 */
export const IsModel = (options: NullableOption = {}): PropertyDecorator =>
  typedCheck('model_attributes_type', MODEL_TYPE, options, (v) =>
    isPlainObject(v) || (typeof v === 'object' && !Array.isArray(v)) ? null : [MODEL_TYPE],
  );
