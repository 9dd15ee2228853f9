/** One entry of Prefect's `exception_detail` list: pydantic v2's error shape (without `url`). */
export interface PydanticError {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/**
 * What one check reports: a pydantic error whose `loc` is relative to the checked property. `type` defaults to the
 * check's own, `input` to the property's value.
 */
export interface SubError {
  loc?: (string | number)[];
  msg: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
  type?: string;
}

/** A request that failed validation; the exception filter renders it as 422-V (compat E1). */
export class RequestValidationError extends Error {
  constructor(
    public readonly errors: PydanticError[],
    public readonly requestBody: unknown,
  ) {
    super('Invalid request received.');
    this.name = 'RequestValidationError';
  }
}

/** `{"detail": "Invalid limit: ..."}`, raised before any other validation (compat E2). */
export class LimitError extends Error {
  constructor(public readonly detail: string) {
    super(detail);
    this.name = 'LimitError';
  }
}
