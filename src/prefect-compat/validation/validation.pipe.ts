import { ArgumentMetadata, Inject, Injectable, PipeTransform } from '@nestjs/common';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { BeforeValidationHook, bodyKindOf, NON_JSON_BODY } from './body-kind';
import { PydanticError, RequestValidationError } from './pydantic-error';
import { rawPropertiesOf } from './free-form';
import { nestedModelOf } from './nested-model';
import { decodeConstraint } from './pydantic-check';

type Loc = (string | number)[];
type Ctor = new (...args: unknown[]) => object;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const declaredFieldsCache = new WeakMap<object, string[]>();
const declaredFieldSetCache = new WeakMap<object, Set<string>>();

/** The properties a DTO declares (the ones carrying validation decorators), in order. */
function declaredFields(cls: Ctor): string[] {
  let fields = declaredFieldsCache.get(cls);
  if (!fields) {
    const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
    fields = [...new Set(metas.map((m) => m.propertyName))];
    declaredFieldsCache.set(cls, fields);
  }
  return fields;
}

function declaredFieldSet(cls: Ctor): Set<string> {
  let set = declaredFieldSetCache.get(cls);
  if (!set) declaredFieldSetCache.set(cls, (set = new Set(declaredFields(cls))));
  return set;
}

/** Turns class-validator's error tree into pydantic's flat list with full `loc` paths. */
export function toPydanticErrors(errors: ValidationError[], path: Loc): PydanticError[] {
  const out: PydanticError[] = [];
  for (const e of errors) {
    const key: string | number = Array.isArray(e.target) && /^\d+$/.test(e.property) ? Number(e.property) : e.property;
    const loc = [...path, key];
    const constraints = e.constraints ?? {};
    if ('whitelistValidation' in constraints) {
      out.push({ type: 'extra_forbidden', loc, msg: 'Extra inputs are not permitted', input: e.value });
      continue;
    }
    const names = 'missing' in constraints ? ['missing'] : Object.keys(constraints);
    let blocksChildren = false;
    for (const name of names) {
      if (name === 'nestedValidation') {
        // class-validator's own message for a non-object nested value; IsModel covers it.
        if (!('model_attributes_type' in constraints))
          out.push({
            type: 'model_attributes_type',
            loc,
            msg: 'Input should be a valid dictionary or object to extract fields from',
            input: e.value,
          });
        blocksChildren = true;
        continue;
      }
      if (name === 'model_attributes_type' || name === 'model_type' || name === 'missing') blocksChildren = true;
      const subs = decodeConstraint(constraints[name]) ?? [{ msg: constraints[name] }];
      for (const sub of subs) {
        const err: PydanticError = {
          type: sub.type ?? name,
          loc: sub.loc ? [...loc, ...sub.loc] : loc,
          msg: sub.msg,
          input: 'input' in sub ? sub.input : e.value,
        };
        if (sub.ctx) err.ctx = sub.ctx;
        out.push(err);
      }
    }
    if (!blocksChildren && e.children?.length) out.push(...toPydanticErrors(e.children, loc));
  }
  return out;
}

/**
 * A key named like an Object.prototype member (`constructor`, `toString`, `__proto__`, ...) is never a declared
 * field, so it is an unknown key, found first and reported alone as pydantic would: `extra_forbidden` at its loc.
 * Free-form properties (`skip`) may hold such keys. A loc is built only for the key found: this walks every
 * value of the body, and 80,000 keys must not cost 80,000 arrays.
 */
function prototypeKeyPath(value: unknown, loc: Loc, skip?: Set<string>): { loc: Loc; input: unknown } | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child !== 'object' || child === null) continue;
      const found = prototypeKeyPath(child, [...loc, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (skip?.has(key)) continue;
    const child = object[key];
    if (key in Object.prototype) return { loc: [...loc, key], input: child };
    if (typeof child !== 'object' || child === null) continue;
    const found = prototypeKeyPath(child, [...loc, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * The one validation pipe: class-validator DTOs in, pydantic-shaped 422 bodies out.
 * Unknown keys are rejected at every depth of a model (forbidNonWhitelisted); named-field
 * bodies ignore unknown top-level keys, as Prefect does.
 */
@Injectable()
export class PrefectValidationPipe implements PipeTransform {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const cls = metadata.metatype as Ctor | undefined;
    if (metadata.type !== 'body' || !cls || [Object, String, Number, Boolean, Array].includes(cls as never))
      return value;
    return bodyKindOf(cls) === 'fields' ? this.fieldsBody(cls, value) : this.modelBody(cls, value);
  }

  private modelBody(cls: Ctor, body: unknown): object {
    // FastAPI treats a JSON null like no body at all for a required model.
    if (body === undefined || body === null)
      throw new RequestValidationError([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }], null);
    if (!isPlainObject(body)) {
      const input = body === NON_JSON_BODY ? null : body;
      throw new RequestValidationError(
        [
          {
            type: 'model_attributes_type',
            loc: ['body'],
            msg: 'Input should be a valid dictionary or object to extract fields from',
            input,
          },
        ],
        input,
      );
    }
    const prepared = (cls as unknown as BeforeValidationHook).beforeValidation?.(body, this.config) ?? body;
    return this.validate(cls, prepared, body);
  }

  private fieldsBody(cls: Ctor, body: unknown): object {
    const fields = declaredFields(cls);
    if (body === NON_JSON_BODY) {
      throw new RequestValidationError(
        [
          {
            type: 'model_attributes_type',
            loc: ['body'],
            msg: 'Input should be a valid dictionary or object to extract fields from (send Content-Type: application/json)',
            input: null,
          },
        ],
        null,
      );
    }
    if (body !== undefined && body !== null && !isPlainObject(body)) {
      throw new RequestValidationError(
        fields.map((f) => ({ type: 'missing', loc: ['body', f], msg: 'Field required', input: null })),
        body,
      );
    }
    const picked: Record<string, unknown> = {};
    if (body) for (const f of fields) if (body[f] !== undefined && body[f] !== null) picked[f] = body[f];
    const prepared = (cls as unknown as BeforeValidationHook).beforeValidation?.(picked, this.config) ?? picked;
    try {
      return this.validate(cls, prepared, body ?? null);
    } catch (err) {
      // A named field that is missing reports input null (there is no object that lacks it).
      if (err instanceof RequestValidationError)
        for (const e of err.errors) if (e.type === 'missing' && e.loc.length === 2) e.input = null;
      throw err;
    }
  }

  private validate(cls: Ctor, plain: Record<string, unknown>, requestBody: unknown): object {
    const clash = prototypeKeyPath(plain, ['body'], new Set(rawPropertiesOf(cls)));
    if (clash)
      throw new RequestValidationError(
        [{ type: 'extra_forbidden', loc: clash.loc, msg: 'Extra inputs are not permitted', input: clash.input }],
        requestBody,
      );
    const unknownKeys: PydanticError[] = [];
    const instance = instantiate(cls, plain, ['body'], unknownKeys);
    const errors = validateSync(instance, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: false,
      validationError: { target: true, value: true },
    });
    if (errors.length || unknownKeys.length) {
      // pydantic reports the declared fields first, then the unknown keys.
      const list = toPydanticErrors(errors, ['body']);
      list.sort((a, b) => Number(a.type === 'extra_forbidden') - Number(b.type === 'extra_forbidden'));
      list.push(...unknownKeys);
      throw new RequestValidationError(list, requestBody);
    }
    return instance;
  }
}

/**
 * Builds the DTO tree from parsed JSON, taking out unknown keys as it goes (compat C4): each becomes an
 * `extra_forbidden` error, listed as class-validator's whitelist would list it (a model's own unknown keys in body
 * order, then those of its nested models in declared-field order). This replaces class-transformer's
 * plainToInstance, which de-duplicates every object's keys with indexOf: a body of 80,000 unknown keys blocked the
 * event loop for seconds. Here each key costs one set lookup. Values are taken as parsed (no DTO declares a
 * transformation); free-form properties are never walked.
 */
function instantiate(cls: Ctor, plain: Record<string, unknown>, loc: Loc, unknownKeys: PydanticError[]): object {
  const declared = declaredFieldSet(cls);
  const instance = new cls() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    if (declared.has(key)) instance[key] = plain[key];
    else
      unknownKeys.push({
        type: 'extra_forbidden',
        loc: [...loc, key],
        msg: 'Extra inputs are not permitted',
        input: plain[key],
      });
  }
  const raw = new Set(rawPropertiesOf(cls));
  for (const field of declaredFields(cls)) {
    const value = instance[field];
    const nested = raw.has(field) ? undefined : nestedModelOf(cls, field);
    if (nested && isPlainObject(value))
      instance[field] = instantiate(nested as Ctor, value, [...loc, field], unknownKeys);
  }
  return instance;
}
