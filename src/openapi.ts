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

/** The OpenAPI document of the running routes (paths include the /api prefix). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Flow Registry')
    .setDescription(
      "Prefect 3's flows REST API (flows, and the work pools, deployments, flow runs and task runs that flow filters read). " +
        'Validation errors answer 422 with `{exception_message, exception_detail, request_body}`, as Prefect does at runtime.',
    )
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'Only when API_AUTH_STRING is set' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
  });
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
  forbidExtraKeysInModels(document);
  const errorBody = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
  for (const path of Object.values(document.paths)) {
    for (const op of Object.values(path) as {
      responses?: Record<string, { description: string; content?: unknown }>;
    }[]) {
      if (!op?.responses) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        if (status === '422') response.content = errorBody('PrefectValidationError');
        else if (['403', '404', '405', '409'].includes(status)) response.content ??= errorBody('ErrorDetail');
      }
    }
  }
  return document;
}

type SchemaObject = {
  $ref?: string;
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
    for (const op of Object.values(path) as {
      requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
    }[]) {
      visit(op?.requestBody?.content?.['application/json']?.schema, true);
    }
  }
}
