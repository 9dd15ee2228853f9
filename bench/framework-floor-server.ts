/**
 * The framework floor: NestJS on Express (this app's stack) answering the bench's routes with the same handlers,
 * SQL and JSON as the raw floor (baseline-routes.ts), and nothing else: no validation pipe, guard, interceptor,
 * middleware, request context, exception filter or logging. Express's JSON body parser (NestJS's default) reads
 * the bodies; answers go out through NestJS's own reply path (`res.json`). The app's ratio to this floor is what
 * the service's own per-request work costs on top of the framework it is built on.
 *
 * Env: DATABASE_URL, PORT, HOST (127.0.0.1), DB_POOL_MAX (10), PREFECT_SERVER_API_DEFAULT_LIMIT (200).
 */
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, HttpException, Module, Param, Post, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Response } from 'express';
import { UnsupportedFilter } from './baseline-sql';
import {
  bulkDelete,
  countFlows,
  createFlow,
  DEFAULT_LIMIT,
  filterFlows,
  flowById,
  flowByName,
  HttpError,
  Json,
  limitOf,
  paginateFlows,
  pool,
  UUID_PATTERN,
} from './baseline-routes';

/** The floors' errors as NestJS renders an HttpException with an object body: the body as it is. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof HttpError) throw new HttpException(err.body as object, err.status);
    if (err instanceof UnsupportedFilter) throw new HttpException({ detail: `framework floor: ${err.message}` }, 400);
    throw err;
  }
}

@Controller()
class FloorController {
  @Get('health')
  health(): boolean {
    return true;
  }

  @Get('flows/name/:name')
  byName(@Param('name') name: string): Promise<unknown> {
    return answer(() => flowByName(name));
  }

  @Get('flows/:id')
  byId(@Param('id') id: string): Promise<unknown> {
    if (!UUID_PATTERN.test(id)) throw new HttpException({ detail: 'Not Found' }, 404);
    return answer(() => flowById(id));
  }

  @Post('flows')
  async create(@Body() body: Json, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const [status, flow] = await answer(() => createFlow(body));
    res.status(status);
    return flow;
  }

  @Post('flows/filter')
  @HttpCode(200)
  filter(@Body() body: Json): Promise<unknown> {
    return answer(() => filterFlows(body, limitOf(body, DEFAULT_LIMIT), Number(body.offset ?? 0)));
  }

  @Post('flows/count')
  @HttpCode(200)
  count(@Body() body: Json): Promise<unknown> {
    return answer(() => countFlows(body));
  }

  @Post('flows/paginate')
  @HttpCode(200)
  paginate(@Body() body: Json): Promise<unknown> {
    return answer(() => paginateFlows(body));
  }

  @Post('flows/bulk_delete')
  @HttpCode(200)
  bulkDelete(@Body() body: Json): Promise<unknown> {
    return answer(() => bulkDelete(body));
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(FloorModule, { logger: ['error'] });
  app.setGlobalPrefix('api');
  app.getHttpAdapter().getInstance().set('etag', false);
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 4301), process.env.HOST ?? '127.0.0.1');
  const stop = () => void app.close().finally(() => void pool.end().finally(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
