import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import cors from 'cors';

/** Routes that stay open without credentials: probes must work for orchestrators. */
const OPEN_PATHS = new Set(['/api/health', '/api/ready']);

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Whether an Authorization header carries the expected credentials (`digest` of user:password), in constant time. */
function basicAuthMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const given = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  return !!match && timingSafeEqual(digest(given), expected);
}

/** The basic-auth check for requests that do not go through Express (the websocket upgrade). */
export function basicAuthCheck(authString: string): (header: string | undefined) => boolean {
  const expected = digest(authString);
  return (header) => basicAuthMatches(header, expected);
}

/**
 * HTTP basic auth like Prefect's `PREFECT_SERVER_API_AUTH_STRING`: every route but health and ready needs
 * `Authorization: Basic base64(user:password)`. Comparison is constant-time (fixed-length digests), so response
 * time does not reveal how much of a guess was right.
 */
export function basicAuth(authString: string): RequestHandler {
  const expected = digest(authString);
  return (req: Request, res: Response, next: NextFunction) => {
    if (OPEN_PATHS.has(req.path) || req.method === 'OPTIONS') return next();
    if (basicAuthMatches(req.headers.authorization, expected)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="flow-registry", charset="UTF-8"');
    res.status(401).json({ exception_message: 'Unauthorized' });
  };
}

/** Headers that make JSON responses safe to expose; the Swagger UI page keeps its own needs. */
export function securityHeaders(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (!req.path.startsWith('/api/docs')) {
      res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    }
    next();
  };
}

/**
 * CORS for the configured origins (`*` allows any). Only requests that carry an Origin header are
 * cross-origin at all, so the others skip the cors middleware.
 */
export function corsWhenOrigin(origins: string[]): RequestHandler {
  const handler = cors({ origin: origins.includes('*') ? true : origins, exposedHeaders: ['X-Request-Id'] });
  return (req: Request, res: Response, next: NextFunction) => (req.headers.origin ? handler(req, res, next) : next());
}
