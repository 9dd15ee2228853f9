import { ArgumentsHost, Catch, ExceptionFilter, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { renderError, sendErrorResponse } from './render-error';
import { RouteTable } from '../routing/route-table';
import { RouteMiss } from '../routing/uuid-path.pipe';

/** Every error leaves as Prefect-shaped JSON, via the one table in render-error.ts. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly routes: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) return;
    // No route for this method and path: 405 when another method serves the path (as Starlette does), else 404.
    if (exception instanceof RouteMiss || (exception instanceof NotFoundException && this.isRouterMiss(exception))) {
      if (this.routes.pathExists(req.path)) res.status(405).json({ detail: 'Method Not Allowed' });
      else res.status(404).json({ detail: 'Not Found' });
      return;
    }
    sendErrorResponse(res, renderError(exception, req));
  }

  private isRouterMiss(e: NotFoundException): boolean {
    const r = e.getResponse();
    return typeof r === 'object' && r !== null && /^Cannot [A-Z]+ /.test(String((r as { message?: unknown }).message));
  }
}
