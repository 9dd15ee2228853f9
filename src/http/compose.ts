import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Runs several middleware functions as one Express layer. Each Express layer costs a path match and
 * a trip through the router on every request; the cross-cutting handlers below apply to every path,
 * so they run back to back instead.
 */
export function compose(handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let i = 0;
    const next = (err?: unknown): void => {
      if (err !== undefined && err !== null) return done(err);
      const handler = handlers[i++];
      if (!handler) return done();
      try {
        void handler(req, res, next);
      } catch (e) {
        done(e);
      }
    };
    next();
  };
}
