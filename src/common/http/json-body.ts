import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { NON_JSON_BODY } from '../validation/body-kind';
import { RequestValidationError } from '../validation/pydantic-error';

function isJsonType(contentType: string): boolean {
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * JSON body parsing the way Prefect's server does it (contract C1): a body without a
 * Content-Type is JSON; a body under a non-JSON Content-Type is not parsed (the
 * validation pipe then rejects it, so bulk_delete never runs unscoped); any JSON value is
 * accepted at the top level; malformed JSON is 422 `json_invalid`; too large is 413.
 */
export function jsonBody(limitBytes: number, sendError: (res: Response, err: unknown) => void): RequestHandler {
  const parse = json({ limit: limitBytes, strict: false, type: () => true });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) || !hasBody(req)) return next();
    const contentType = req.headers['content-type'];
    if (contentType !== undefined && !isJsonType(contentType)) {
      req.body = NON_JSON_BODY;
      return next();
    }
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { type?: string; status?: number; body?: string; message?: string };
      if (e.type === 'entity.parse.failed') {
        const position = /position (\d+)/.exec(e.message ?? '');
        return sendError(
          res,
          new RequestValidationError(
            [
              {
                type: 'json_invalid',
                loc: ['body', position ? Number(position[1]) : 0],
                msg: 'JSON decode error',
                input: {},
                ctx: { error: (e.message ?? 'invalid JSON').replace(/ in JSON at position.*$/, '') },
              },
            ],
            e.body ?? null,
          ),
        );
      }
      if (e.type === 'entity.too.large' || e.status === 413) {
        res.status(413).json({ detail: `Request body too large: the limit is ${limitBytes} bytes.` });
        return;
      }
      if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
        res.status(415).json({ detail: 'Unsupported Media Type: send UTF-8 JSON.' });
        return;
      }
      sendError(res, err);
    });
  };
}
