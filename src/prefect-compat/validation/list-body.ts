import { NON_JSON_BODY } from './body-kind';
import { PydanticError, RequestValidationError } from './pydantic-error';
import { PrefectValidationPipe } from './validation.pipe';

/**
 * A body that is a JSON list of one model (FastAPI's `Sequence[Model]` body, e.g. `POST /logs/`): each item is
 * validated as a model body, and every item's errors are reported together with the item's index in `loc`.
 */
export function validateListBody<T extends object>(pipe: PrefectValidationPipe, cls: new () => T, body: unknown): T[] {
  if (body === undefined || body === null)
    throw new RequestValidationError([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }], null);
  if (!Array.isArray(body)) {
    const input = body === NON_JSON_BODY ? null : body;
    throw new RequestValidationError(
      [{ type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input }],
      input,
    );
  }
  const errors: PydanticError[] = [];
  const items: T[] = [];
  body.forEach((item, index) => {
    try {
      items.push(pipe.transform(item, { type: 'body', metatype: cls }) as T);
    } catch (err) {
      if (!(err instanceof RequestValidationError)) throw err;
      for (const e of err.errors) errors.push({ ...e, loc: ['body', index, ...e.loc.slice(1)] });
    }
  });
  if (errors.length) throw new RequestValidationError(errors, body);
  return items;
}
