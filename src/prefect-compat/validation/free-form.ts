/**
 * Free-form JSON properties (labels, parameters, job variables, ...): validated for their outer shape, then handed
 * to the DTO exactly as parsed. class-transformer must not walk them: it silently drops keys named like
 * Object.prototype members (`toString`, `hasOwnProperty`) and crashes on a `constructor` key (compat V5).
 */
import { isPlainObject, LONE_SURROGATE, textError } from './coerce';
import { NullableOption, one, typedCheck } from './pydantic-check';
import type { SubError } from './pydantic-error';

const rawProperties = new WeakMap<object, Set<string>>();

/** Marks a free-form JSON property so the pipe passes it through as parsed; the typed decorators below do it. */
export const FreeFormJson = (): PropertyDecorator => (target: object, property: string | symbol) => {
  let set = rawProperties.get(target);
  if (!set) rawProperties.set(target, (set = new Set()));
  set.add(property as string);
};

/** The free-form properties of a DTO class, its ancestors' included. */
export function rawPropertiesOf(cls: { prototype: object }): string[] {
  const out: string[] = [];
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto))
    out.push(...(rawProperties.get(proto) ?? []));
  return out;
}

const freeForm =
  (check: PropertyDecorator): PropertyDecorator =>
  (target, property) => {
    check(target, property);
    FreeFormJson()(target, property);
  };

const DICT_TYPE = { type: 'dict_type', msg: 'Input should be a valid dictionary' };
const LIST_TYPE = { type: 'list_type', msg: 'Input should be a valid list' };

/** `Dict[str, Any]`: any JSON object. */
export const IsDict = (options: NullableOption = {}): PropertyDecorator =>
  freeForm(typedCheck('dict_type', DICT_TYPE, options, (v) => (isPlainObject(v) ? null : one(DICT_TYPE.msg))));

/** `List[Any]`. */
export const IsList = (options: NullableOption = {}): PropertyDecorator =>
  freeForm(typedCheck('list_type', LIST_TYPE, options, (v) => (Array.isArray(v) ? null : one(LIST_TYPE.msg))));

/** `List[Dict[str, Any]]`: errors point at the element that is not an object. */
export const IsDictList = (options: NullableOption = {}): PropertyDecorator =>
  freeForm(
    typedCheck('list_type', LIST_TYPE, options, (v) => {
      if (!Array.isArray(v)) return one(LIST_TYPE.msg);
      return v.flatMap((item, i) =>
        isPlainObject(item) ? [] : [{ type: 'dict_type', loc: [i], msg: DICT_TYPE.msg, input: item }],
      );
    }),
  );

/**
 * Prefect's `KeyValueLabels` (`Dict[str, str | int | float | bool]`): each bad value yields one error per
 * alternative type, at loc [key, 'bool' | 'int' | 'float' | 'str'], as pydantic reports unions.
 */
export const IsLabels = (options: NullableOption = {}): PropertyDecorator =>
  freeForm(
    typedCheck('dict_type', DICT_TYPE, options, (v) => {
      if (!isPlainObject(v)) return one(DICT_TYPE.msg);
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
      const keys = Object.keys(v);
      if (keys.some((k) => k.includes('\u0000')))
        errs.push({
          type: 'value_error',
          loc: [],
          msg: 'Value error, NUL (\\u0000) characters are not allowed in keys',
          input: v,
        });
      else if (keys.some((k) => LONE_SURROGATE.test(k)))
        errs.push({
          type: 'string_unicode',
          loc: [],
          msg: 'Input should be a valid string, unable to parse raw data as a unicode string',
          input: v,
        });
      return errs;
    }),
  );
