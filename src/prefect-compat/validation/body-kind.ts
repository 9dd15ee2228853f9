/**
 * Prefect reads request bodies in two ways (compat C3/C4):
 * - 'model': the whole body is one pydantic model (FlowCreate, FlowUpdate): unknown keys
 *   are errors, a missing body is `missing` at ["body"].
 * - 'fields': the body is a set of named fields (filter, count, paginate, bulk_delete):
 *   each key is read on its own, unknown top-level keys are ignored, null means default.
 */
export type BodyKind = 'model' | 'fields';

const BODY_KIND = Symbol('bodyKind');

/**
 * pydantic's `model_validator(mode="before")`, one hook for both body kinds: it runs on the raw JSON object (for a
 * 'fields' body: the declared top-level fields that are present and not null) before any field is validated, and
 * may return the object to validate instead (e.g. without keys Prefect drops), or throw the error Prefect raises
 * first (a RequestValidationError, or a LimitError for compat E2).
 */
export interface BeforeValidationHook {
  beforeValidation?(
    body: Record<string, unknown>,
    settings: { defaultLimit: number },
  ): Record<string, unknown> | undefined | void;
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
