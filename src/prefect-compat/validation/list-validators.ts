/**
 * Property decorators for JSON lists: each element is checked (and coerced) on its own, and its errors carry the
 * element's index in `loc`, as pydantic reports them.
 */
import { coerceUuid, enumError, textError, uuidError } from './coerce';
import { assign, NullableOption, one, typedCheck } from './pydantic-check';
import type { SubError } from './pydantic-error';

const LIST_TYPE = { type: 'list_type', msg: 'Input should be a valid list' };

type Item = (v: unknown) => { value?: unknown; error?: SubError };

interface ListOptions extends NullableOption {
  /**
   * The list is a set (a filter's `any_`, `not_any_`, `all_`): repeats are dropped after coercion, so that a
   * body of duplicates costs the database nothing more than one item (compat V6). Errors keep the sent indexes.
   */
  unique?: boolean;
}

function listOf(item: Item, { unique, ...options }: ListOptions): PropertyDecorator {
  return typedCheck('list_type', LIST_TYPE, options, (v, args) => {
    if (!Array.isArray(v)) return one(LIST_TYPE.msg, { type: LIST_TYPE.type });
    const out: unknown[] = new Array(v.length);
    const errs: SubError[] = [];
    for (let i = 0; i < v.length; i++) {
      const r = item(v[i]);
      if (r.error) errs.push({ ...r.error, loc: [i], input: v[i] });
      else out[i] = r.value;
    }
    if (errs.length) return errs;
    assign(args, unique ? [...new Set(out)] : out);
    return null;
  });
}

const textItem: Item = (x) => {
  if (typeof x !== 'string') return { error: { type: 'string_type', msg: 'Input should be a valid string' } };
  const error = textError(x);
  return error ? { error } : { value: x };
};

/** A list of stored strings (tags): no NUL, no lone surrogate (compat V4). */
export const IsStrList = (options: ListOptions = {}): PropertyDecorator => listOf(textItem, options);

export const IsUuidList = (options: ListOptions = {}): PropertyDecorator =>
  listOf((x) => {
    const u = coerceUuid(x);
    return u === undefined ? { error: uuidError(x) } : { value: u };
  }, options);

export const IsEnumList = (values: readonly string[], options: ListOptions = {}): PropertyDecorator =>
  listOf((x) => (values.includes(x as string) ? { value: x } : { error: enumError(values) }), options);
