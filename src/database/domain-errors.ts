/**
 * Errors services and repositories throw for a request they cannot serve. They say what went wrong in the
 * domain's words; src/prefect-compat/errors renders each into the body Prefect's server answers.
 */

/** A value PostgreSQL cannot index (e.g. a name over the btree entry limit), named by the field that holds it. */
export class ValueTooLargeError extends Error {
  constructor(
    public readonly field: string,
    public readonly value: unknown,
    /** The record the value belongs to, as the client sent it. */
    public readonly record: unknown,
  ) {
    super(`${field} is too large to be indexed`);
    this.name = 'ValueTooLargeError';
  }
}
