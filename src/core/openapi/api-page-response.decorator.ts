import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * Documents a list route's 200 answer, a `Page<T>` of `model`:
 * `@ApiPageResponse(Item)`. `Page` is a generic interface, which the
 * OpenAPI plugin cannot see through; this gives the document (and a client
 * generated from it) the page's exact shape.
 */
export function ApiPageResponse(model: Type): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description: `A page of ${model.name} (\`limit\` and \`offset\` as applied, \`total\` across all pages).`,
      schema: {
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          total: { type: 'integer', minimum: 0, description: 'Matching rows across all pages.' },
          limit: { type: 'integer', minimum: 1 },
          offset: { type: 'integer', minimum: 0 },
        },
      },
    }),
  );
}
