/**
 * Pydantic v2's lax-mode coercions and text checks as pure functions: a JSON value in, the coerced value or the
 * pydantic error out. No decorators here, so each rule is table-tested on its own (test/unit/coerce.spec.ts).
 */
import type { SubError } from './pydantic-error';

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Python's truthiness of a JSON value: null, false, 0, "", [] and {} are false. */
export function pyTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** With the u flag only unpaired halves match: a proper pair (an emoji) is one code point. */
export const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * Text PostgreSQL cannot store as sent (compat V4): U+0000 (varchar and jsonb cannot hold it) and lone UTF-16
 * surrogates (valid as JSON escapes, but UTF-8 has no encoding for them: the driver would silently store U+FFFD
 * instead). Both are rejected up front instead of failing in, or being altered by, the database.
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

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/** Lax bool: true/false, 0/1, and the strings pydantic accepts ("yes", "off", ...), untrimmed. */
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

const INT_TOO_LARGE: SubError = {
  type: 'int_parsing_size',
  msg: 'Unable to parse input string as an integer, exceeded maximum size',
};

/** Lax int: 5, "5", 5.0 and true are 5/1; 5.5 is int_from_float, "x" is int_parsing. */
export function coerceInt(v: unknown): { value?: number; error?: SubError } {
  if (typeof v === 'boolean') return { value: v ? 1 : 0 };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { error: { type: 'finite_number', msg: 'Input should be a finite number' } };
    if (!Number.isInteger(v))
      return {
        error: { type: 'int_from_float', msg: 'Input should be a valid integer, got a number with a fractional part' },
      };
    if (!Number.isSafeInteger(v)) return { error: { ...INT_TOO_LARGE } };
    return { value: v };
  }
  if (typeof v === 'string') {
    const t = v.trim();
    // pydantic's int text: digits with single underscores between them, and "5.0" but not "5.".
    if (/^[+-]?\d+(_\d+)*(\.0+)?$/.test(t)) {
      const n = Number(t.replaceAll('_', ''));
      if (!Number.isSafeInteger(n)) return { error: { ...INT_TOO_LARGE } };
      return { value: n };
    }
    return {
      error: { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' },
    };
  }
  return { error: { type: 'int_type', msg: 'Input should be a valid integer' } };
}

const HYPHENATED = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** The forms pydantic's parser (the uuid crate) accepts: 32 hex digits, hyphenated, `{hyphenated}`, `urn:uuid:hyphenated`. */
const UUID_FORMS = new RegExp(`^(?:[0-9a-fA-F]{32}|${HYPHENATED}|\\{${HYPHENATED}\\}|urn:uuid:${HYPHENATED})$`);

/** Normalises every form pydantic accepts (plain hex, braces, urn:uuid:, upper-case hex) to canonical text. */
export function coerceUuid(v: unknown): string | undefined {
  if (typeof v !== 'string' || !UUID_FORMS.test(v)) return undefined;
  const hex = v.replace(/^urn:uuid:|[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The error pydantic gives a value that is not a UUID: text that does not parse, or not text at all. */
export function uuidError(v: unknown): SubError {
  return typeof v === 'string'
    ? {
        type: 'uuid_parsing',
        msg: 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]',
      }
    : { type: 'uuid_type', msg: 'UUID input should be a string, bytes or UUID object' };
}

/** pydantic's `enum` error, listing the members as it does: `'a', 'b' or 'c'`. */
export function enumError(values: readonly string[]): SubError {
  const expected =
    values.length > 1
      ? `${values
          .slice(0, -1)
          .map((x) => `'${x}'`)
          .join(', ')} or '${values[values.length - 1]}'`
      : `'${values[0]}'`;
  return { type: 'enum', msg: `Input should be ${expected}`, ctx: { expected } };
}

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
