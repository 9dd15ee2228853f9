/**
 * Prefect reads request bodies in two ways (contract C3/C4):
 * - 'model': the whole body is one pydantic model (FlowCreate, FlowUpdate): unknown keys
 *   are errors, a missing body is `missing` at ["body"].
 * - 'fields': the body is a set of named fields (filter, count, paginate, bulk_delete):
 *   each key is read on its own, unknown top-level keys are ignored, null means default.
 */
export type BodyKind = 'model' | 'fields';

const BODY_KIND = Symbol('bodyKind');

export interface FieldsBodyClass {
  /** Runs on the raw top-level fields before validation (e.g. the 422-L limit check). */
  beforeValidation?(fields: Record<string, unknown>, settings: { defaultLimit: number }): void;
}

export interface ModelBodyClass {
  /**
   * Pydantic's `model_validator(mode="before")`: runs on the raw JSON object before any field is validated, and
   * returns the object to validate (e.g. without keys Prefect drops) or throws a RequestValidationError.
   */
  preValidate?(body: Record<string, unknown>): Record<string, unknown>;
}

/** Marks a DTO as a named-fields body. */
export function FieldsBody(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(BODY_KIND, 'fields', target);
  };
}

export function bodyKindOf(cls: object): BodyKind {
  return (Reflect.getMetadata(BODY_KIND, cls) as BodyKind | undefined) ?? 'model';
}

/** Stands in for a body that came under a non-JSON Content-Type (set by the body parser). */
export const NON_JSON_BODY = Symbol('nonJsonBody');
