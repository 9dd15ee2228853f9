import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { COLLECTION_ROOTS } from './prefect-compat/routing/trailing-slash';

/** Prefect's runtime 422 body (its own OpenAPI document still shows FastAPI's `{detail: [...]}`). */
const VALIDATION_ERROR_SCHEMA = {
  type: 'object',
  required: ['exception_message', 'exception_detail', 'request_body'],
  properties: {
    exception_message: { type: 'string', example: 'Invalid request received.' },
    exception_detail: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'loc', 'msg', 'input'],
        properties: {
          type: { type: 'string', example: 'string_pattern_mismatch' },
          loc: {
            type: 'array',
            items: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
            example: ['body', 'name'],
          },
          msg: { type: 'string' },
          input: {},
          ctx: { type: 'object' },
        },
      },
    },
    request_body: {},
  },
};

const DETAIL_SCHEMA = { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } };

/** Operations whose `limit` is checked before the body's fields: their 422 can also be `{detail}`. */
const LIMIT_CHECKED = new Set(['read_flows_flows_filter_post', 'paginate_flows_flows_paginate_post']);

/** Routes that answer without credentials even when API_AUTH_STRING is set (http/security.ts). */
const PUBLIC_PATHS = new Set(['/api/health', '/api/ready']);

export interface OpenApiOptions {
  /** API_AUTH_STRING is set: every operation but health and ready needs HTTP basic auth. */
  auth: boolean;
}

type Operation = {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses?: Record<string, { description: string; content?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
};

/** The OpenAPI 3.0 document of the running routes (paths include the /api prefix). */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Flow Registry')
    .setDescription(
      "Prefect 3's flows REST API (flows, and the work pools, deployments, flow runs and task runs that flow filters read). " +
        'Validation errors answer 422 with `{exception_message, exception_detail, request_body}`, as Prefect does at runtime.',
    )
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    // Relative: Swagger UI and generated clients call whichever host served the document.
    .addServer('/', 'the server that serves this document');
  if (options.auth) {
    builder
      .addBasicAuth({ type: 'http', scheme: 'basic', description: 'API_AUTH_STRING is set on this server' }, 'basic')
      .addSecurityRequirements('basic');
  }
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
    // Tags are Prefect's, set on each controller or route; a controller's class name is no tag.
    autoTagControllers: false,
  });
  // Without API_AUTH_STRING nothing needs credentials, and the document says so rather than saying nothing.
  if (!options.auth) document.security = [];
  // The collection routes are served at their Prefect spelling, with the trailing slash.
  for (const root of COLLECTION_ROOTS) {
    if (document.paths[root]) {
      document.paths[`${root}/`] = document.paths[root];
      delete document.paths[root];
    }
  }
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.PrefectValidationError = VALIDATION_ERROR_SCHEMA;
  document.components.schemas.ErrorDetail = DETAIL_SCHEMA;
  if (options.auth) document.components.schemas.Unauthorized = UNAUTHORIZED_SCHEMA;
  forbidExtraKeysInModels(document);
  const errorBody = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
  for (const [pathName, path] of Object.entries(document.paths)) {
    for (const op of Object.values(path) as Operation[]) {
      if (!op?.responses) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        if (status === '422') {
          response.content = LIMIT_CHECKED.has(op.operationId ?? '')
            ? {
                'application/json': {
                  schema: {
                    anyOf: [
                      { $ref: '#/components/schemas/PrefectValidationError' },
                      { $ref: '#/components/schemas/ErrorDetail' },
                    ],
                  },
                },
              }
            : errorBody('PrefectValidationError');
        } else if (['403', '404', '405', '409'].includes(status)) response.content ??= errorBody('ErrorDetail');
      }
      if (options.auth && PUBLIC_PATHS.has(pathName)) op.security = [];
      else if (options.auth)
        op.responses['401'] = { description: 'Missing or wrong credentials', content: errorBody('Unauthorized') };
    }
  }
  toOpenApi30(document.components.schemas as Record<string, SchemaObject>);
  return document;
}

const UNAUTHORIZED_SCHEMA = {
  type: 'object',
  required: ['exception_message'],
  properties: { exception_message: { type: 'string', example: 'Unauthorized' } },
};

type SchemaObject = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  additionalProperties?: unknown;
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  allOf?: SchemaObject[];
};

/**
 * Every model a request can carry rejects unknown keys (compat C4), so its schema says
 * `additionalProperties: false`, as Prefect's does. The named-field bodies (`Body_*`) ignore unknown
 * top-level keys and stay open; the models inside them are closed.
 */
function forbidExtraKeysInModels(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  const seen = new Set<string>();
  const visit = (schema: SchemaObject | undefined, topLevel: boolean): void => {
    if (!schema) return;
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      if (seen.has(name) || !schemas[name]) return;
      seen.add(name);
      const target = schemas[name];
      if (target.properties && !(topLevel && name.startsWith('Body_'))) target.additionalProperties = false;
      for (const property of Object.values(target.properties ?? {})) visit(property, false);
      return;
    }
    for (const child of [schema.items, ...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])])
      visit(child, false);
  };
  for (const path of Object.values(document.paths)) {
    for (const op of Object.values(path) as Operation[]) {
      visit(op?.requestBody?.content?.['application/json']?.schema, true);
    }
  }
}

/**
 * What @nestjs/swagger writes for a nullable enum property (`{nullable, allOf: [$ref]}`) has no `type`, which
 * OpenAPI 3.0 requires beside `nullable`; the type is the referenced enum's. An `allOf` of one schema with no
 * siblings is that schema.
 */
function toOpenApi30(schemas: Record<string, SchemaObject>): void {
  const refType = (s: SchemaObject | undefined) =>
    s?.$ref ? schemas[s.$ref.replace('#/components/schemas/', '')]?.type : undefined;
  const fix = (schema: SchemaObject | undefined): SchemaObject | undefined => {
    if (!schema || typeof schema !== 'object') return schema;
    if (schema.nullable && !schema.type && schema.allOf?.length === 1) schema.type = refType(schema.allOf[0]);
    if (schema.allOf?.length === 1 && Object.keys(schema).length === 1) return fix(schema.allOf[0]);
    for (const [key, value] of Object.entries(schema.properties ?? {})) schema.properties![key] = fix(value)!;
    if (schema.items) schema.items = fix(schema.items);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
      schema.additionalProperties = fix(schema.additionalProperties as SchemaObject);
    for (const list of [schema.oneOf, schema.anyOf, schema.allOf]) list?.forEach((s, i) => (list[i] = fix(s)!));
    return schema;
  };
  for (const name of Object.keys(schemas)) schemas[name] = fix(schemas[name])!;
}
