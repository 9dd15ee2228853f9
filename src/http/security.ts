import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import cors from 'cors';
import helmet from 'helmet';

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

/**
 * helmet, limited to the headers this API documents (README, operations): nosniff, frame DENY, no referrer, COOP
 * same-origin, and a CSP of `default-src 'none'` on everything but the Swagger UI page, which needs its scripts.
 * helmet's other defaults (HSTS, CORP, Origin-Agent-Cluster, ...) are left off so that clients see no change.
 */
export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    xContentTypeOptions: true,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  const csp = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  });
  return (req: Request, res: Response, next: NextFunction) =>
    headers(req, res, (err?: unknown) => {
      if (err !== undefined || req.path.startsWith('/api/docs')) return next(err);
      csp(req, res, next);
    });
}

/**
 * CORS for the configured origins (`*` allows any). Only requests that carry an Origin header are
 * cross-origin at all, so the others skip the cors middleware.
 */
export function corsWhenOrigin(origins: string[]): RequestHandler {
  const handler = cors({ origin: origins.includes('*') ? true : origins, exposedHeaders: ['X-Request-Id'] });
  return (req: Request, res: Response, next: NextFunction) => (req.headers.origin ? handler(req, res, next) : next());
}
