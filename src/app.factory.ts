import 'reflect-metadata';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { ENTITIES } from './entities';
import { AppConfig } from './config/app-config';
import { AllExceptionsFilter } from './prefect-compat/errors/all-exceptions.filter';
import { renderError, sendErrorResponse } from './prefect-compat/errors/render-error';
import { jsonBody } from './prefect-compat/http/json-body';
import { compose } from './http/compose';
import { JsonExpressAdapter } from './prefect-compat/http/json-response';
import { normalizePathEscapes } from './prefect-compat/routing/path-escapes';
import { requestContext } from './http/request-context';
import { placeAfterRoutes, RouteTable, routerLayersAddedBy } from './prefect-compat/routing/route-table';
import { basicAuth, corsWhenOrigin, securityHeaders } from './http/security';
import { trailingSlashRedirect } from './prefect-compat/routing/trailing-slash';
import { UuidRouteGuard } from './prefect-compat/routing/uuid-path.pipe';
import { createRootLogger, nestLogger, quietStartup } from './logging/app-logger';
import { PrefectValidationPipe } from './prefect-compat/validation/validation.pipe';
import { SchemaState } from './database/schema-state';
import { unitOfWork } from './database/unit-of-work';
import { Bulkhead } from './database/bulkhead';
import { buildOpenApiDocument } from './openapi';

export interface CreateAppOptions {
  config: AppConfig;
  databaseUrl: string;
  /** false builds the module graph without touching a database (OpenAPI export). */
  connect?: boolean;
  /** Extra modules (tests mount probes this way). */
  extraModules?: Type[];
  /** Where log lines go (tests capture them); stdout by default. */
  logSink?: (line: string) => void;
  /** Fields on every log line (the worker number in cluster mode). */
  logBase?: Record<string, unknown>;
}

const SCHEMA_INDEPENDENT = /^\/api\/(health|ready|docs|openapi)/;
/** Requests whose queries take the pool's heavy lane (DB_HEAVY_MAX): filters, counts, paginate, bulk deletes. */
const HEAVY_QUERY = /\/(filter|count|paginate|bulk_delete|count-deployments|next-runs)$/;

function sendError(req: Request, res: Response, err: unknown): void {
  sendErrorResponse(res, renderError(err, req));
}

/**
 * The one place an app is configured: production (main.ts), the e2e tests and the OpenAPI
 * export all build it here, so tests exercise the real prefix, parser, pipes and filters.
 */
export async function createApp(options: CreateAppOptions): Promise<NestExpressApplication> {
  const { config } = options;
  const root = createRootLogger({
    format: config.logFormat,
    level: config.logLevel,
    out: options.logSink,
    colour: !options.logSink && Boolean(process.stdout.isTTY),
    base: options.logBase,
  });
  const logger = quietStartup(nestLogger(root));
  const server = express();
  server.disable('x-powered-by');
  // Starlette matches paths case-sensitively: /api/Flows/... is a 404, not the flows routes.
  server.set('case sensitive routing', true);
  // Weak ETags hash every body; API clients do not send If-None-Match.
  server.set('etag', false);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(
      config,
      { url: options.databaseUrl, connect: options.connect, entities: ENTITIES },
      options.extraModules,
    ),
    new JsonExpressAdapter(server),
    { bodyParser: false, logger, abortOnError: false },
  );
  app.setGlobalPrefix('api');
  const schema = app.get(SchemaState);
  const orm = app.get(MikroORM);
  const routes = new RouteTable();
  const schemaGate = (req: Request, res: Response, next: NextFunction) => {
    if (schema.ready || SCHEMA_INDEPENDENT.test(req.path)) return next();
    sendErrorResponse(res, { status: 503, body: { exception_message: 'Service Unavailable' } });
  };
  app.use(
    compose([
      requestContext(root, config.logRequests),
      // Everything after this sees the path as Starlette routes it: percent-decoded.
      normalizePathEscapes,
      securityHeaders(),
      ...(config.corsAllowedOrigins.length ? [corsWhenOrigin(config.corsAllowedOrigins)] : []),
      ...(config.apiAuthString ? [basicAuth(config.apiAuthString)] : []),
      trailingSlashRedirect(routes),
      schemaGate,
      // Prefect's client sends log batches of up to 4 MB (PREFECT_LOGGING_TO_API_BATCH_SIZE).
      jsonBody(config.bodyLimitBytes, sendError, { '/api/logs/': config.logsBodyLimitBytes }),
      // The unit of work: everything after this runs with its own EntityManager fork, made on first use.
      unitOfWork(orm, {
        heavy: new Bulkhead(config.dbHeavyMax, config.dbAcquireTimeoutMs),
        isHeavy: (req) => req.method === 'POST' && HEAVY_QUERY.test(req.path),
      }),
    ]),
  );
  app.useGlobalGuards(new UuidRouteGuard());
  app.useGlobalPipes(new PrefectValidationPipe(config));
  app.useGlobalFilters(new AllExceptionsFilter(routes));

  const document = buildOpenApiDocument(app, { auth: Boolean(config.apiAuthString) });
  const docs = routerLayersAddedBy(server, () =>
    SwaggerModule.setup('api/docs', app, document, {
      customSiteTitle: 'Flow Registry API',
      jsonDocumentUrl: 'api/openapi.json',
      yamlDocumentUrl: 'api/openapi.yaml',
    }),
  );

  await app.init();
  placeAfterRoutes(server, docs);
  routes.load(server);
  return app;
}
