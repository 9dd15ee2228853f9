/**
 * Validators for the create bodies of work pools, queues, deployments and runs (on top of
 * validators.ts): nullability the pydantic way, free-form dicts, and Prefect's name rules.
 */
import { applyDecorators } from '@nestjs/common';
import { coerceInt, FreeFormJson, IsStr, NoNulChar, pydanticCheck } from './validators';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A field that is not Optional in pydantic rejects an explicit null with the error its type
 * gives (`string_type`, `uuid_type`, `bool_type`, `enum`, ...). Most validators in
 * validators.ts let null through (Optional), so pair them with this one.
 */
export const RejectNull = (type: string, msg: string, ctx?: Record<string, unknown>): PropertyDecorator =>
  pydanticCheck(`${type}_null`, (v) => (v === null ? [{ type, msg, ...(ctx ? { ctx } : {}) }] : null));

export const NOT_NULL_BOOL = ['bool_type', 'Input should be a valid boolean'] as const;
export const NOT_NULL_UUID = ['uuid_type', 'UUID input should be a string, bytes or UUID object'] as const;
export const NOT_NULL_DICT = ['dict_type', 'Input should be a valid dictionary'] as const;

/** `Optional[str]`: a string or null (null counts as not given); text PostgreSQL cannot store is refused. */
export const IsOptionalStr = (): PropertyDecorator => applyDecorators(IsStr({ nullable: true }), NoNulChar());

/** Free-form JSON: validated for its outer shape, then passed through exactly as parsed (see FreeFormJson). */
const freeForm =
  (check: PropertyDecorator): PropertyDecorator =>
  (target, property) => {
    check(target, property);
    FreeFormJson()(target, property);
  };

/** `Dict[str, Any]` (or Optional of it): any JSON object; null passes (pair with RejectNull). */
export const IsDict = (): PropertyDecorator =>
  freeForm(
    pydanticCheck('dict_type', (v) =>
      v === undefined || v === null || isPlainObject(v) ? null : [{ msg: 'Input should be a valid dictionary' }],
    ),
  );

/** `List[Any]` (or Optional of it). */
export const IsList = (): PropertyDecorator =>
  freeForm(
    pydanticCheck('list_type', (v) =>
      v === undefined || v === null || Array.isArray(v) ? null : [{ msg: 'Input should be a valid list' }],
    ),
  );

/** `List[Dict[str, Any]]`: errors point at the element that is not an object. */
export const IsDictList = (): PropertyDecorator =>
  freeForm(
    pydanticCheck('list_type', (v) => {
      if (v === undefined || v === null) return null;
      if (!Array.isArray(v)) return [{ msg: 'Input should be a valid list' }];
      return v.flatMap((item, i) =>
        isPlainObject(item)
          ? []
          : [{ type: 'dict_type', loc: [i], msg: 'Input should be a valid dictionary', input: item }],
      );
    }),
  );

/** `int` with `gt` (pydantic `greater_than`), e.g. a queue priority (> 0). */
export const IsLaxIntGreaterThan = (gt: number): PropertyDecorator =>
  pydanticCheck('int_type', (v, args) => {
    if (v === undefined || v === null) return null;
    const { value, error } = coerceInt(v);
    if (error) return [error];
    if ((value as number) <= gt)
      return [{ type: 'greater_than', msg: `Input should be greater than ${gt}`, ctx: { gt } }];
    (args.object as Record<string, unknown>)[args.property] = value;
    return null;
  });

/** Prefect's `NonEmptyishName`: a name that is blank or only quotes is rejected. */
export const NonEmptyish = (): PropertyDecorator =>
  pydanticCheck('value_error', (v) =>
    typeof v === 'string' && v.replace(/^['" ]+|['" ]+$/g, '') === ''
      ? [{ msg: 'Value error, name cannot be an empty string' }]
      : null,
  );
