import { HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { LimitError, RequestValidationError } from '../validation/pydantic-error';
import { classifyDatabaseError, ClientClosedRequestError } from '../../database/database-errors';
import { ValueTooLargeError } from '../../database/domain-errors';

export interface ErrorResponse {
  status: number;
  body: unknown;
}

export const CONFLICT_DETAIL =
  'Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.';

const logger = new Logger('Errors');

/** Standard `detail` texts for statuses that carry no body of their own. */
const STATUS_DETAIL: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: CONFLICT_DETAIL,
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
};

/**
 * The one table from errors to Prefect-shaped responses (used by the exception filter and
 * by the body parser, which runs before Nest's pipeline).
 */
export function renderError(error: unknown, req?: Request): ErrorResponse {
  const context = req ? `${req.method} ${req.originalUrl} request_id=${req.requestId}` : '';
  if (error instanceof RequestValidationError) {
    return {
      status: 422,
      body: {
        exception_message: 'Invalid request received.',
        exception_detail: error.errors,
        request_body: error.requestBody,
      },
    };
  }
  if (error instanceof LimitError) return { status: 422, body: { detail: error.detail } };
  if (error instanceof ValueTooLargeError) {
    // Prefect answers 503 here (the database refuses the index entry); a 422 on the field tells the client why.
    return {
      status: 422,
      body: {
        exception_message: 'Invalid request received.',
        exception_detail: [
          {
            type: 'string_too_long',
            loc: ['body', error.field],
            msg: `Value error, the ${error.field} is too long to be indexed (its stored form must stay under about 2.7 kB)`,
            input: error.value,
          },
        ],
        request_body: error.record,
      },
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    if (typeof response === 'object' && response !== null && ('detail' in response || 'exception_message' in response))
      return { status, body: response };
    if (status >= 500) return internalError(error, context, req?.requestId);
    return {
      status,
      body: { detail: STATUS_DETAIL[status] ?? (typeof response === 'string' ? response : error.message) },
    };
  }
  const failure = classifyDatabaseError(error);
  if (failure?.kind === 'conflict') {
    logger.warn(`integrity conflict ${context}: ${(error as Error).message}`);
    return { status: 409, body: { detail: CONFLICT_DETAIL } };
  }
  if (error instanceof ClientClosedRequestError) {
    // Nobody reads this answer; the request line (status 499) already says what happened.
    logger.debug(`statement cancelled ${context}: the client closed the request`);
    return { status: 503, body: { exception_message: 'Service Unavailable' } };
  }
  if (failure?.kind === 'retryable') {
    logger.warn(`database unavailable ${context}: ${failure.reason}`);
    return { status: 503, body: { exception_message: 'Service Unavailable' } };
  }
  if (failure?.kind === 'too_large' || failure?.kind === 'bad_value') {
    // Reached only when validation let a value through that PostgreSQL cannot store.
    logger.warn(`value rejected by the database ${context}: ${(error as Error).message}`);
    return {
      status: 422,
      body: {
        exception_message: 'Invalid request received.',
        exception_detail: [
          {
            type: failure.kind === 'too_large' ? 'value_too_large' : 'value_error',
            loc: ['body'],
            msg:
              failure.kind === 'too_large'
                ? 'Value error, a value is too large to be stored or indexed'
                : 'Value error, a value cannot be stored by the database',
            input: null,
          },
        ],
        request_body: null,
      },
    };
  }
  return internalError(error, context, req?.requestId);
}

/** A bug: the client gets an id to quote; the log has the same id with the stack. No internals leave the process. */
function internalError(error: unknown, context: string, requestId: string = randomUUID()): ErrorResponse {
  logger.error(`unhandled error ${context}`, error instanceof Error ? error.stack : String(error));
  return { status: 500, body: { exception_message: 'Internal Server Error', request_id: requestId } };
}

/**
 * Seconds a client should wait before retrying a 503: pool waits, statement timeouts and a database coming back
 * clear within seconds. Prefect's client honours Retry-After on 503 instead of its own backoff.
 */
export const RETRY_AFTER_SECONDS = '1';

/** Writes an error answer; every 503 says when to retry. */
export function sendErrorResponse(res: Response, { status, body }: ErrorResponse): void {
  if (status === 503) res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
  res.status(status).json(body);
}
