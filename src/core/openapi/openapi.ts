import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';
import { completeDocument } from './complete-document';
import { problemSchemas } from './problem.schema';

/** Path of the OpenAPI document (JSON). */
export const OPENAPI_JSON_PATH = '/openapi.json';

/**
 * The service's OpenAPI 3 document: every route of `app` (health and metrics
 * excluded), DTO schemas from the `@nestjs/swagger` CLI plugin, the problem
 * schemas, and what the chassis adds to every route (`completeDocument`:
 * optional defaulted query parameters, 400/401/403/413/415/429/500/503 problems
 * with examples). `/openapi.json` serves it and `npm run openapi` writes it.
 */
export function createOpenApiDocument(app: NestFastifyApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(config.app.serviceName)
    .setVersion(config.app.version)
    .setDescription('Errors are RFC 9457 problem details (`application/problem+json`).')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer');
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [] });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...problemSchemas } };
  return completeDocument(document);
}

/**
 * Serves Swagger UI at `OPENAPI_PATH` (default `/docs`) and the document at
 * `/openapi.json`, when OPENAPI_ENABLED. DTO schemas come from the `@nestjs/swagger` CLI plugin,
 * which reads the class-validator decorators (nest-cli.json, and ts-jest's
 * AST transformer in tests), so DTOs need no `@ApiProperty` boilerplate.
 */
export function registerOpenApi(app: NestFastifyApplication, config: AppConfig): void {
  if (!config.openApi.enabled) return;
  SwaggerModule.setup(config.openApi.path, app, createOpenApiDocument(app, config), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: undefined,
    raw: ['json'],
  });
}
