import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RouteTable } from './route-table';

/**
 * Prefect declares its collection routes with a trailing slash (`POST /api/flows/`) and every other
 * route without one. As in Starlette, the other spelling of a served path gets a 307 redirect, which
 * keeps the method and the body.
 */
export const COLLECTION_ROOTS = [
  '/api/flows',
  '/api/work_pools',
  '/api/deployments',
  '/api/flow_runs',
  '/api/task_runs',
  '/api/logs',
  '/api/flow_run_states',
  '/api/task_run_states',
];

export function trailingSlashRedirect(routes: RouteTable): RequestHandler {
  const roots = new Set(COLLECTION_ROOTS);
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    let target: string | undefined;
    if (roots.has(path)) target = `${path}/`;
    else if (path.length > 1 && path.endsWith('/') && !path.startsWith('/api/docs')) {
      // Starlette strips every trailing slash and redirects once, if that path is served.
      const stripped = path.replace(/\/+$/, '');
      if (stripped && !roots.has(stripped) && routes.pathExists(stripped)) target = stripped;
    }
    if (target === undefined) return next();
    const q = req.originalUrl.indexOf('?');
    res.setHeader(
      'Location',
      `${req.protocol}://${req.headers.host ?? 'localhost'}${target}${q >= 0 ? req.originalUrl.slice(q) : ''}`,
    );
    res.status(307).end();
  };
}
