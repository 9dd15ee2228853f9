/**
 * The creator headers of a flow-run create, read the way Prefect's `get_created_by` dependency reads them. Header
 * parsing is the HTTP layer's business, so the controller calls this and the service gets a plain CreatedBy.
 */
import { RequestValidationError } from '../../prefect-compat/validation/pydantic-error';
import { coerceUuid } from '../../prefect-compat/validation/coerce';
import type { CreatedBy } from './dto/flow-run-response.dto';

/**
 * Prefect's `get_created_by`: both automation headers present, the name base64 text.
 * A malformed id is a header validation error; an undecodable name means no creator.
 */
export function createdByFromHeaders(automationId?: string, automationName?: string): CreatedBy | null {
  if (automationId === undefined || automationName === undefined) return null;
  const id = coerceUuid(automationId);
  if (!id)
    throw new RequestValidationError(
      [
        {
          type: 'uuid_parsing',
          loc: ['header', 'prefect-automation-id'],
          msg: 'Input should be a valid UUID',
          input: automationId,
        },
      ],
      null,
    );
  const decoded = Buffer.from(automationName, 'base64').toString('utf8');
  const isBase64 = /^[A-Za-z0-9+/]*={0,2}$/.test(automationName) && !decoded.includes('\uFFFD');
  return isBase64 && decoded ? { id, type: 'AUTOMATION', display_value: decoded } : null;
}
