import type { SchemaObject } from '@nestjs/swagger';

/** OpenAPI schemas for problem responses, referenced by `@ApiProblemResponses()`. */
export const problemSchemas: Record<string, SchemaObject> = {
  FieldError: {
    type: 'object',
    required: ['location', 'pointer', 'detail'],
    properties: {
      location: { type: 'string', enum: ['body', 'query', 'path', 'header'] },
      pointer: { type: 'string', example: '#/name' },
      detail: { type: 'string', example: 'name must be shorter than or equal to 200 characters' },
    },
  },
  ProblemDetails: {
    type: 'object',
    description: 'RFC 9457 problem details.',
    required: ['type', 'title', 'status', 'detail', 'instance', 'requestId', 'correlationId'],
    properties: {
      type: { type: 'string', example: 'about:blank' },
      title: { type: 'string', example: 'Not Found' },
      status: { type: 'integer', example: 404 },
      detail: { type: 'string' },
      instance: { type: 'string', example: '/items/0b5c…' },
      requestId: { type: 'string', format: 'uuid' },
      correlationId: { type: 'string', description: 'The inbound X-Correlation-ID when well-formed, else the request id.' },
      errors: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
    },
  },
};
