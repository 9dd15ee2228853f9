import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { isUtf8 } from 'node:buffer';
import { NON_JSON_BODY } from '../validation/body-kind';
import { RequestValidationError } from '../validation/pydantic-error';

function isJsonType(contentType: string): boolean {
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

/** Deeper than any Prefect body (filters nest about six levels); deeper input is refused before anything recurses. */
export const MAX_JSON_DEPTH = 64;

/** Nesting depth of a parsed JSON value, computed without recursion. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * Content codings a body may come in (RFC 9110 8.4): decoded before parsing, the size limit counting the decoded
 * bytes. Prefect's server ignores Content-Encoding and would read compressed bytes as JSON; a server that honours
 * the header is what an HTTP client expects. zstd is left out: whether Node can decode it depends on its version.
 */
const CONTENT_CODINGS = new Set(['identity', 'gzip', 'x-gzip', 'deflate', 'br']);

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Long enough for a client that is still uploading to read the answer, short enough to cost nothing. */
const LINGER_MS = 2_000;

/**
 * Answer, then close the connection without reading the body. Node ends a `Connection: close` socket outright
 * once the answer is written, and a client still uploading then gets a reset that can discard the answer it has
 * not read yet. So this socket closes the way nginx's lingering close does: our side first, what still arrives is
 * read and dropped for a moment, then the socket is destroyed.
 */
function closeAfterAnswer(req: Request, res: Response): void {
  res.setHeader('Connection', 'close');
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}

/**
 * JSON body parsing the way Prefect's server does it (compat C1): a body without a
 * Content-Type is JSON; a body under a non-JSON Content-Type is not parsed (the
 * validation pipe then rejects it, so bulk_delete never runs unscoped); any JSON value is
 * accepted at the top level; malformed JSON is 422 `json_invalid`; too large is 413.
 */
export function jsonBody(
  defaultLimitBytes: number,
  sendError: (req: Request, res: Response, err: unknown) => void,
  /** Paths (exact) whose bodies may be larger than the default, e.g. the log batches Prefect's client sends. */
  pathLimits: Record<string, number> = {},
): RequestHandler {
  const parser = (limit: number) =>
    json({
      limit,
      strict: false,
      type: () => true,
      // Bytes that are not UTF-8 would otherwise be decoded to U+FFFD and stored altered.
      verify: (_req, _res, buf) => {
        if (!isUtf8(buf)) throw Object.assign(new Error('body is not UTF-8'), { type: 'entity.not.utf8' });
      },
    });
  const defaultParser = parser(defaultLimitBytes);
  const pathParsers = new Map(
    Object.entries(pathLimits).map(([path, limit]) => [path, { limit, parse: parser(limit) }]),
  );
  return (req: Request, res: Response, next: NextFunction) => {
    const { limit: limitBytes, parse } = pathParsers.get(req.path) ?? {
      limit: defaultLimitBytes,
      parse: defaultParser,
    };
    // Only these methods carry a body Prefect reads; a DELETE body is ignored, as there.
    if (!['POST', 'PUT', 'PATCH'].includes(req.method)) return next();
    const contentType = req.headers['content-type'];
    if (contentType !== undefined && !isJsonType(contentType)) {
      // Even an empty body: a request that says it is not JSON is never read as "all defaults".
      req.body = NON_JSON_BODY;
      return next();
    }
    if (!hasBody(req)) return next();
    const coding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (!CONTENT_CODINGS.has(coding)) {
      res.status(415).json({ detail: `Unsupported Content-Encoding: send identity, gzip, deflate or br.` });
      return;
    }
    // body-parser would read (and discard) the whole declared body before answering 413: answer from the headers,
    // and close the connection rather than read the rest of it.
    if (Number(req.headers['content-length']) > limitBytes) {
      closeAfterAnswer(req, res);
      res.status(413).json({ detail: `Request body too large: the limit is ${limitBytes} bytes.` });
      return;
    }
    if (coding === 'x-gzip') req.headers['content-encoding'] = 'gzip';
    // JSON is UTF-8 (RFC 8259); a declared charset is ignored, as Prefect's server ignores it.
    if (contentType !== undefined && contentType.includes(';')) req.headers['content-type'] = 'application/json';
    parse(req, res, (err?: unknown) => {
      if (!err) {
        if (jsonDepth(req.body) <= MAX_JSON_DEPTH) return next();
        return sendError(
          req,
          res,
          new RequestValidationError(
            [
              {
                type: 'value_error',
                loc: ['body'],
                msg: `Value error, JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
                input: null,
              },
            ],
            null,
          ),
        );
      }
      const e = err as { type?: string; status?: number; body?: string; message?: string };
      if (e.type === 'entity.parse.failed') {
        const position = /position (\d+)/.exec(e.message ?? '');
        return sendError(
          req,
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
      if (e.type === 'entity.not.utf8' || (e.type === 'entity.verify.failed' && /UTF-8/.test(e.message ?? ''))) {
        res.status(400).json({ detail: 'There was an error parsing the body' });
        return;
      }
      if (e.type === 'entity.too.large' || e.status === 413) {
        res.status(413).json({ detail: `Request body too large: the limit is ${limitBytes} bytes.` });
        return;
      }
      if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
        res.status(415).json({ detail: 'Unsupported Media Type: send UTF-8 JSON.' });
        return;
      }
      // The client's fault, not a bug: a body that is not in its declared coding (corrupt gzip, plain JSON under
      // `Content-Encoding: br`), shorter or longer than its Content-Length, or cut off by a client that hung up
      // (nobody reads this answer then; the socket is gone).
      if (e.status !== undefined && e.status >= 400 && e.status < 500) {
        res.status(400).json({ detail: 'There was an error parsing the body' });
        return;
      }
      sendError(req, res, err);
    });
  };
}
