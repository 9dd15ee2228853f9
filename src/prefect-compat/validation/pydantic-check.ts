/**
 * The bridge from class-validator to pydantic's error list. Each check is registered as a class-validator
 * constraint named after the pydantic error `type` it stands for; when it fails, its message is the JSON list of
 * the errors it found, which the pipe decodes back (toPydanticErrors) to rebuild Prefect's `exception_detail`.
 */
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import type { SubError } from './pydantic-error';

export type Check = (value: unknown, args: ValidationArguments) => SubError[] | null;

/** Decodes the message of one of our constraints back into its errors. */
export function decodeConstraint(message: string): SubError[] | null {
  if (!message.startsWith('[')) return null;
  try {
    return JSON.parse(message) as SubError[];
  } catch {
    return null;
  }
}

/**
 * Registers a property decorator whose constraint name is the pydantic error type.
 *
 * class-validator asks a constraint twice: `validate` (a boolean) and then, only on failure, `defaultMessage`
 * with the same object, property and value. The message is made by running the check again rather than by
 * remembering the first run's errors somewhere: checks are pure functions of (value, object) on the failing path
 * (they write a coerced value back only when they pass), so the second run finds the same errors, and a failure
 * costs one more check run instead of a side table keyed by the DTO instance.
 */
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
          return !errs || errs.length === 0;
        },
        defaultMessage(args: ValidationArguments) {
          const errs = check(args.value, args) ?? [];
          const list = errs.length ? errs : [{ msg: type }];
          return JSON.stringify(list.map((e) => ({ input: args.value, ...e })));
        },
      },
    });
  };
}

/**
 * How a decorator treats an explicit JSON null (compat V1). pydantic's `Optional[X]` accepts None, and its plain
 * `X` rejects it with the type's own error; `nullable: true` is the former, the default is the latter, so a DTO
 * reads like the pydantic model it mirrors. An absent key is never a null: `Required` decides about that.
 */
export interface NullableOption {
  nullable?: boolean;
}

/**
 * A check for one type: `undefined` passes (absence is Required's concern), null passes only when nullable and
 * otherwise reports `nullError`, and any other value goes to `check`.
 */
export function typedCheck(
  type: string,
  nullError: SubError,
  { nullable = false }: NullableOption,
  check: Check,
): PropertyDecorator {
  return pydanticCheck(type, (v, args) => {
    if (v === undefined) return null;
    if (v === null) return nullable ? null : [nullError];
    return check(v, args);
  });
}

/** Writes a coerced value back, so DTOs hold the normalised form after validation. */
export function assign(args: ValidationArguments, value: unknown): void {
  (args.object as Record<string, unknown>)[args.property] = value;
}

export const one = (msg: string, extra: Partial<SubError> = {}): SubError[] => [{ msg, ...extra }];
