import { ArgumentsHost, Catch, ExceptionFilter, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { renderError } from './render-error';
import { RouteTable } from '../http/route-table';

/** Every error leaves as Prefect-shaped JSON, via the one table in render-error.ts. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly routes: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) return;
    // Nest answers an unmatched method like an unknown path; Prefect answers 405 there.
    if (exception instanceof NotFoundException && this.isRouterMiss(exception) && this.routes.pathExists(req.path)) {
      res.status(405).json({ detail: 'Method Not Allowed' });
      return;
    }
    const { status, body } = renderError(exception, req);
    res.status(status).json(body);
  }

  private isRouterMiss(e: NotFoundException): boolean {
    const r = e.getResponse();
    return typeof r === 'object' && r !== null && /^Cannot [A-Z]+ /.test(String((r as { message?: unknown }).message));
  }
}
