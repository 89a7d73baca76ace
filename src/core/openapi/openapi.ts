import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';
import { problemSchemas } from './problem.schema';

/** Path of the OpenAPI document (JSON). */
export const OPENAPI_JSON_PATH = '/openapi.json';

/**
 * Serves Swagger UI at `OPENAPI_PATH` (default `/docs`) and the document at
 * `/openapi.json`. DTO schemas come from the `@nestjs/swagger` CLI plugin,
 * which reads the class-validator decorators (nest-cli.json, and ts-jest's
 * AST transformer in tests), so DTOs need no `@ApiProperty` boilerplate.
 */
export function setUpOpenApi(app: NestFastifyApplication, config: AppConfig): void {
  const builder = new DocumentBuilder()
    .setTitle(config.app.serviceName)
    .setVersion(config.app.version)
    .setDescription('Errors are RFC 9457 problem details (`application/problem+json`).')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer');
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [] });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...problemSchemas } };
  SwaggerModule.setup(config.openApi.path, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: undefined,
    raw: ['json'],
  });
}
