/**
 * class-validator decorators that speak pydantic. Each constraint is registered under the
 * pydantic error `type` it stands for, and its message is a JSON list of the errors it
 * found (with a loc suffix relative to the property), so the pipe can rebuild Prefect's
 * `exception_detail` exactly. Every decorator checks one concern and lets values of
 * another type pass, so a wrong value yields one error, as in pydantic.
 */
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

export interface SubError {
  loc?: (string | number)[];
  msg: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
  type?: string;
}

type Check = (value: unknown, args: ValidationArguments) => SubError[] | null;

/** Decodes the message of one of our constraints back into its errors. */
export function decodeConstraint(message: string): SubError[] | null {
  if (!message.startsWith('[')) return null;
  try {
    return JSON.parse(message) as SubError[];
  } catch {
    return null;
  }
}

const failures = new WeakMap<object, Map<string, SubError[]>>();

/** Registers a property decorator whose constraint name is the pydantic error type. */
export function pydanticCheck(type: string, check: Check, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: type,
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const errs = check(value, args);
          if (!errs || errs.length === 0) return true;
          let byProp = failures.get(args.object);
          if (!byProp) failures.set(args.object, (byProp = new Map()));
          byProp.set(`${type}:${args.property}`, errs);
          return false;
        },
        defaultMessage(args: ValidationArguments) {
          const errs = failures.get(args.object)?.get(`${type}:${args.property}`) ?? [{ msg: type }];
          return JSON.stringify(errs.map((e) => ({ input: args.value, ...e })));
        },
      },
    });
  };
}

const one = (msg: string, extra: Partial<SubError> = {}): SubError[] => [{ msg, ...extra }];

/** Python's truthiness of a JSON value: null, false, 0, "", [] and {} are false. */
export function pyTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key must be present (pydantic `missing`); `input` is the object that lacks it. */
export const Required = (): PropertyDecorator =>
  pydanticCheck('missing', (value, args) =>
    value === undefined ? one('Field required', { input: args.object }) : null,
  );

/**
 * A JSON string; numbers and booleans are not coerced (pydantic lax mode for str). `nullable` is pydantic's
 * `Optional[str]`: null is accepted as not given (Prefect's filter models dump every unset field as null).
 */
export const IsStr = ({ nullable = false }: { nullable?: boolean } = {}): PropertyDecorator =>
  pydanticCheck('string_type', (v) =>
    v === undefined || typeof v === 'string' || (nullable && v === null) ? null : one('Input should be a valid string'),
  );

/** With the u flag only unpaired halves match: a proper pair (an emoji) is one code point. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * Text PostgreSQL cannot store as sent: U+0000 (varchar and jsonb cannot hold it) and lone UTF-16 surrogates
 * (valid as JSON escapes, but UTF-8 has no encoding for them: the driver would silently store U+FFFD instead).
 * Both are rejected up front instead of failing in, or being altered by, the database.
 */
export function textError(s: string): SubError | undefined {
  if (s.includes('\u0000'))
    return { type: 'value_error', msg: 'Value error, NUL (\\u0000) characters are not allowed' };
  if (LONE_SURROGATE.test(s))
    return {
      type: 'string_unicode',
      msg: 'Input should be a valid string, unable to parse raw data as a unicode string',
    };
  return undefined;
}

export const NoNulChar = (): PropertyDecorator =>
  pydanticCheck('value_error', (v) => {
    const error = typeof v === 'string' ? textError(v) : undefined;
    return error ? [error] : null;
  });

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

/** A list whose elements are strings (without NUL); errors point at the element index. */
export const IsStrList = (): PropertyDecorator =>
  pydanticCheck('list_type', (v) => {
    if (v === undefined) return null;
    if (!Array.isArray(v)) return one('Input should be a valid list');
    const errs: SubError[] = [];
    v.forEach((item, i) => {
      if (typeof item !== 'string')
        errs.push({ type: 'string_type', loc: [i], msg: 'Input should be a valid string', input: item });
      else {
        const error = textError(item);
        if (error) errs.push({ ...error, loc: [i], input: item });
      }
    });
    return errs;
  });

/**
 * `Dict[str, str | int | float | bool] | None`: each bad value yields one error per
 * alternative type, at loc [key, 'bool' | 'int' | 'float' | 'str'], as pydantic reports unions.
 */
const labelsCheck = (): PropertyDecorator =>
  pydanticCheck('dict_type', (v) => {
    if (v === undefined || v === null) return null;
    if (!isPlainObject(v)) return one('Input should be a valid dictionary');
    const errs: SubError[] = [];
    for (const [key, item] of Object.entries(v)) {
      if (typeof item === 'string') {
        const error = textError(item);
        if (error) errs.push({ ...error, loc: [key, 'str'], input: item });
        continue;
      }
      if (typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item))) continue;
      errs.push(
        { type: 'bool_type', loc: [key, 'bool'], msg: 'Input should be a valid boolean', input: item },
        { type: 'int_type', loc: [key, 'int'], msg: 'Input should be a valid integer', input: item },
        { type: 'float_type', loc: [key, 'float'], msg: 'Input should be a valid number', input: item },
        { type: 'string_type', loc: [key, 'str'], msg: 'Input should be a valid string', input: item },
      );
    }
    if (keyHasNul(v))
      errs.push({
        type: 'value_error',
        loc: [],
        msg: 'Value error, NUL (\\u0000) characters are not allowed in keys',
        input: v,
      });
    else if (Object.keys(v).some((k) => LONE_SURROGATE.test(k)))
      errs.push({
        type: 'string_unicode',
        loc: [],
        msg: 'Input should be a valid string, unable to parse raw data as a unicode string',
        input: v,
      });
    return errs;
  });

/** Labels are free-form: validated here, but passed through untouched (see rawPropertiesOf). */
export const IsLabels = (): PropertyDecorator => (target: object, property: string | symbol) => {
  markRaw(target, property as string);
  labelsCheck()(target, property);
};

function keyHasNul(v: Record<string, unknown>): boolean {
  return Object.keys(v).some((k) => k.includes('\u0000'));
}

const rawProperties = new WeakMap<object, Set<string>>();

function markRaw(target: object, property: string): void {
  let set = rawProperties.get(target);
  if (!set) rawProperties.set(target, (set = new Set()));
  set.add(property);
}

/**
 * Properties whose values are free-form JSON dictionaries (labels). class-transformer must not walk them: it
 * silently drops keys named like Object.prototype members (`toString`, `hasOwnProperty`) and crashes on a
 * `constructor` key, so the validation pipe hands their values over as parsed.
 */
export function rawPropertiesOf(cls: { prototype: object }): string[] {
  const out: string[] = [];
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto))
    out.push(...(rawProperties.get(proto) ?? []));
  return out;
}

/**
 * Marks a free-form JSON property (parameters, job_variables, ...) so the pipe passes it through as parsed; combine
 * with the decorator that validates its shape. IsLabels does this itself.
 */
export const FreeFormJson = (): PropertyDecorator => (target: object, property: string | symbol) =>
  markRaw(target, property as string);

/** Writes a coerced value back, so DTOs hold the normalised form after validation. */
function assign(args: ValidationArguments, value: unknown): void {
  (args.object as Record<string, unknown>)[args.property] = value;
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/** Lax bool: true/false, 0/1, and the strings pydantic accepts ("yes", "off", ...). */
export function coerceBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  if (typeof v === 'string') {
    const w = v.toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
  }
  return undefined;
}

export const IsLaxBool = (): PropertyDecorator =>
  pydanticCheck('bool_parsing', (v, args) => {
    if (v === undefined || v === null) return null;
    const b = coerceBool(v);
    if (b === undefined) return one('Input should be a valid boolean, unable to interpret input');
    assign(args, b);
    return null;
  });

/** Lax int: 5, "5", 5.0 and true are 5/1; 5.5 is int_from_float, "x" is int_parsing. */
export function coerceInt(v: unknown): { value?: number; error?: SubError } {
  if (typeof v === 'boolean') return { value: v ? 1 : 0 };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { error: { type: 'finite_number', msg: 'Input should be a finite number' } };
    if (!Number.isInteger(v))
      return {
        error: { type: 'int_from_float', msg: 'Input should be a valid integer, got a number with a fractional part' },
      };
    if (!Number.isSafeInteger(v))
      return {
        error: { type: 'int_parsing_size', msg: 'Unable to parse input string as an integer, exceeded maximum size' },
      };
    return { value: v };
  }
  if (typeof v === 'string') {
    const t = v.trim();
    // pydantic's int text: digits with single underscores between them, and "5.0" but not "5.".
    if (/^[+-]?\d+(_\d+)*(\.0+)?$/.test(t)) {
      const n = Number(t.replaceAll('_', ''));
      if (!Number.isSafeInteger(n))
        return {
          error: { type: 'int_parsing_size', msg: 'Unable to parse input string as an integer, exceeded maximum size' },
        };
      return { value: n };
    }
    return {
      error: { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' },
    };
  }
  return { error: { type: 'int_type', msg: 'Input should be a valid integer' } };
}

export interface IntBounds {
  ge?: number;
  le?: number;
}

/** Lax int with optional bounds (greater_than_equal / less_than_equal). null passes (Optional). */
export const IsLaxInt = (bounds: IntBounds = {}): PropertyDecorator =>
  pydanticCheck('int_type', (v, args) => {
    if (v === undefined || v === null) return null;
    const { value, error } = coerceInt(v);
    if (error) return [error];
    const n = value as number;
    if (bounds.ge !== undefined && n < bounds.ge)
      return [
        {
          type: 'greater_than_equal',
          msg: `Input should be greater than or equal to ${bounds.ge}`,
          ctx: { ge: bounds.ge },
        },
      ];
    if (bounds.le !== undefined && n > bounds.le)
      return [
        { type: 'less_than_equal', msg: `Input should be less than or equal to ${bounds.le}`, ctx: { le: bounds.le } },
      ];
    assign(args, n);
    return null;
  });

const HYPHENATED = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** The forms pydantic's parser (the uuid crate) accepts: 32 hex digits, hyphenated, `{hyphenated}`, `urn:uuid:hyphenated`. */
const UUID_FORMS = new RegExp(`^(?:[0-9a-fA-F]{32}|${HYPHENATED}|\\{${HYPHENATED}\\}|urn:uuid:${HYPHENATED})$`);

/** Normalises every form pydantic accepts (plain hex, braces, urn:uuid:, upper-case hex) to canonical text. */
export function coerceUuid(v: unknown): string | undefined {
  if (typeof v !== 'string' || !UUID_FORMS.test(v)) return undefined;
  const hex = v.replace(/^urn:uuid:|[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function uuidError(v: unknown): SubError {
  return typeof v === 'string'
    ? {
        type: 'uuid_parsing',
        msg: 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]',
      }
    : { type: 'uuid_type', msg: 'UUID input should be a string, bytes or UUID object' };
}

export const IsLaxUuid = (): PropertyDecorator =>
  pydanticCheck('uuid_parsing', (v, args) => {
    if (v === undefined || v === null) return null;
    const u = coerceUuid(v);
    if (u === undefined) return [uuidError(v)];
    assign(args, u);
    return null;
  });

/** Generic list check: `item` returns the coerced element or an error; errors carry the index. */
function listOf(
  type: string,
  item: (v: unknown) => { value?: unknown; error?: SubError },
  maxItems?: number,
): PropertyDecorator {
  return pydanticCheck(type, (v, args) => {
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) return one('Input should be a valid list', { type: 'list_type' });
    if (maxItems !== undefined && v.length > maxItems)
      return one(`List should have at most ${maxItems} items after validation, not ${v.length}`, {
        type: 'too_long',
        ctx: { field_type: 'List', max_length: maxItems, actual_length: v.length },
      });
    const out: unknown[] = new Array(v.length);
    const errs: SubError[] = [];
    for (let i = 0; i < v.length; i++) {
      const r = item(v[i]);
      if (r.error) errs.push({ ...r.error, loc: [i], input: v[i] });
      else out[i] = r.value;
    }
    if (errs.length) return errs;
    assign(args, out);
    return null;
  });
}

/**
 * Upper bound on the ids or strings of one filter list. Far above any real use, and well
 * under PostgreSQL's 65,535 bind parameters per statement (lists are bound as one array
 * parameter anyway); it keeps a hostile body from costing unbounded memory and planning time.
 */
export const MAX_FILTER_LIST_ITEMS = 10_000;

export const IsUuidList = (maxItems = MAX_FILTER_LIST_ITEMS): PropertyDecorator =>
  listOf(
    'list_type',
    (x) => {
      const u = coerceUuid(x);
      return u === undefined ? { error: uuidError(x) } : { value: u };
    },
    maxItems,
  );

/** List of strings for filters (NUL rejected, since PostgreSQL text cannot hold it). */
export const IsFilterStrList = (maxItems = MAX_FILTER_LIST_ITEMS): PropertyDecorator =>
  listOf(
    'list_type',
    (x) => {
      if (typeof x !== 'string') return { error: { type: 'string_type', msg: 'Input should be a valid string' } };
      const error = textError(x);
      return error ? { error } : { value: x };
    },
    maxItems,
  );

function enumError(values: readonly string[]): SubError {
  const expected =
    values.length > 1
      ? `${values
          .slice(0, -1)
          .map((x) => `'${x}'`)
          .join(', ')} or '${values[values.length - 1]}'`
      : `'${values[0]}'`;
  return { type: 'enum', msg: `Input should be ${expected}`, ctx: { expected } };
}

/** A value of a string enum, matched exactly (case included). */
export const IsEnumValue = (values: readonly string[]): PropertyDecorator =>
  pydanticCheck('enum', (v) => {
    if (v === undefined || v === null) return null;
    return values.includes(v as string) ? null : [enumError(values)];
  });

export const IsEnumList = (values: readonly string[], maxItems = MAX_FILTER_LIST_ITEMS): PropertyDecorator =>
  listOf('list_type', (x) => (values.includes(x as string) ? { value: x } : { error: enumError(values) }), maxItems);

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Lax datetime: ISO 8601 text (a missing offset means UTC) or a Unix timestamp.
 * Returned as ISO text with an explicit offset, so PostgreSQL keeps the microseconds.
 */
export function coerceDateTime(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    const ms = Math.abs(v) > 2e10 ? v : v * 1000;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof v !== 'string') return undefined;
  const m = ISO_RE.exec(v.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', off] = m;
  const month = Number(mo),
    day = Number(d),
    hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const probe = new Date(Date.UTC(Number(y), month - 1, day));
  if (probe.getUTCDate() !== day) return undefined;
  let offset = (off ?? 'Z').toUpperCase();
  if (offset !== 'Z' && !offset.includes(':'))
    offset = offset.length === 3 ? `${offset}:00` : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 7)}${offset}`;
}

export const IsLaxDateTime = (): PropertyDecorator =>
  pydanticCheck('datetime_from_date_parsing', (v, args) => {
    if (v === undefined || v === null) return null;
    const iso = coerceDateTime(v);
    if (iso === undefined)
      return one('Input should be a valid datetime or date, invalid character in year', {
        type: typeof v === 'string' ? 'datetime_from_date_parsing' : 'datetime_type',
      });
    assign(args, iso);
    return null;
  });

/**
 * A nested model must be a JSON object. FastAPI validates bodies with `from_attributes`, so pydantic
 * reports `model_attributes_type` for anything else. Pair with @ValidateNested() and @Type(); the
 * pipe drops nested errors of a non-object.
 */
export const IsModel = (): PropertyDecorator =>
  pydanticCheck('model_attributes_type', (v) =>
    v === undefined || v === null || isPlainObject(v) || (typeof v === 'object' && !Array.isArray(v))
      ? null
      : one('Input should be a valid dictionary or object to extract fields from'),
  );
