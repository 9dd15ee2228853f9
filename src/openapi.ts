import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document of the running routes (paths include the /api prefix). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Flow Registry')
    .setDescription(
      "Prefect 3's flows REST API (flows, and the work pools, deployments, flow runs and task runs that flow filters read). " +
        'Validation errors answer 422 with `{exception_message, exception_detail, request_body}`, as Prefect does.',
    )
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
  });
}
