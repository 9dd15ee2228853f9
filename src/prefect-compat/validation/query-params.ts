import { RequestValidationError } from './pydantic-error';
import { coerceUuid } from './coerce';

/** A required UUID query parameter, with FastAPI's errors when it is missing or not a UUID. */
export function requiredQueryUuid(name: string, value: unknown): string {
  if (value === undefined)
    throw new RequestValidationError(
      [{ type: 'missing', loc: ['query', name], msg: 'Field required', input: null }],
      null,
    );
  // A repeated parameter: FastAPI reads the last one.
  const raw = Array.isArray(value) ? value[value.length - 1] : value;
  const id = coerceUuid(raw);
  if (id === undefined)
    throw new RequestValidationError(
      [
        {
          type: 'uuid_parsing',
          loc: ['query', name],
          msg: 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]',
          input: raw,
        },
      ],
      null,
    );
  return id;
}
