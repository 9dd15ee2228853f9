/**
 * Which DTO class a nested-model property holds, so the pipe can build the DTO tree itself (see
 * validation.pipe.ts: class-transformer's plainToInstance costs quadratic time in the number of keys).
 */
import { Type } from 'class-transformer';

const nestedModels = new WeakMap<object, Map<string, () => new () => object>>();

/**
 * Declares the DTO class of a nested model property (pair with IsModel and ValidateNested). It is declared to
 * class-transformer too, so code that builds DTOs with plainToInstance (tests, tools) still gets nested instances.
 */
export const NestedModel =
  (type: () => new () => object): PropertyDecorator =>
  (target: object, property: string | symbol) => {
    Type(type)(target, property as string);
    let byProperty = nestedModels.get(target);
    if (!byProperty) nestedModels.set(target, (byProperty = new Map()));
    byProperty.set(property as string, type);
  };

/** The nested model class of a property, looked up along the DTO's class chain. */
export function nestedModelOf(cls: { prototype: object }, property: string): (new () => object) | undefined {
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const type = nestedModels.get(proto)?.get(property);
    if (type) return type();
  }
  return undefined;
}
