import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppLogger } from '../logging/app-logger';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    /** Echoed in the X-Request-Id response header, in request logs and in 500 bodies. */
    requestId: string;
  }
}

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, else a new UUID), echoes it, and logs one
 * line when the response is finished: method, path, status, duration. Bodies and headers are never logged.
 */
export function requestContext(logger: AppLogger, logRequests: boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    req.requestId = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.requestId);
    if (logRequests) {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const level = res.statusCode >= 500 ? 'error' : 'log';
        logger.write(level, 'request', {
          context: 'HTTP',
          request_id: req.requestId,
          method: req.method,
          // As the client sent it (routing sees it percent-decoded).
          path: req.originalUrl.split('?', 1)[0],
          status: res.statusCode,
          ms: Math.round(ms * 100) / 100,
        });
      });
    }
    next();
  };
}
