import 'reflect-metadata';
import { LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { AppConfig, LOG_LEVELS } from './config/app-config';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { renderError } from './common/errors/render-error';
import { jsonBody } from './common/http/json-body';
import { RouteTable } from './common/http/route-table';
import { PrefectValidationPipe } from './common/validation/validation.pipe';
import { buildOpenApiDocument } from './openapi';

export interface CreateAppOptions {
  config: AppConfig;
  databaseUrl: string;
  /** false builds the module graph without touching a database (OpenAPI export). */
  connect?: boolean;
  /** Extra modules (tests mount probes this way). */
  extraModules?: Type[];
}

/** A `%` not followed by two hex digits is kept as a literal `%` (Prefect never 5xx's on `%zz`). */
function keepMalformedEscapes(req: Request, _res: Response, next: NextFunction): void {
  if (req.url.includes('%')) req.url = req.url.replace(/%(?![0-9a-fA-F]{2})/g, '%25');
  next();
}

/**
 * The one place an app is configured: production (main.ts), the e2e tests and the OpenAPI
 * export all build it here, so tests exercise the real prefix, parser, pipes and filters.
 */
export async function createApp(options: CreateAppOptions): Promise<NestExpressApplication> {
  const { config } = options;
  const server = express();
  server.disable('x-powered-by');
  const logger: LogLevel[] = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1) as LogLevel[];
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { url: options.databaseUrl, connect: options.connect }, options.extraModules),
    new ExpressAdapter(server),
    { bodyParser: false, logger, abortOnError: false },
  );
  app.setGlobalPrefix('api');
  app.use(keepMalformedEscapes);
  app.use(jsonBody(config.bodyLimitBytes, (res, err) => {
    const { status, body } = renderError(err);
    res.status(status).json(body);
  }));
  app.useGlobalPipes(new PrefectValidationPipe(config));
  const routes = new RouteTable();
  app.useGlobalFilters(new AllExceptionsFilter(routes));

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });

  await app.init();
  routes.load(server);
  return app;
}
