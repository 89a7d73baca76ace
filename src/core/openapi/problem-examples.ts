import type { HeaderObject } from '@nestjs/swagger';
import { PROBLEM_TYPES, type ProblemDetails } from '../errors/problem-details';
import { statusTitle } from '../errors/status-titles';

type ProblemExample = Pick<ProblemDetails, 'type' | 'title' | 'status' | 'detail' | 'errors'>;

/**
 * What the chassis answers for each documented error status: one example per
 * status, in the shape the problem filter sends (type, title, detail as the
 * chassis words them; docs/errors.md lists the types).
 */
const EXAMPLES: Record<number, ProblemExample> = {
  400: {
    type: PROBLEM_TYPES.validation,
    title: 'Request validation failed',
    status: 400,
    detail: '2 invalid fields: body #/name, body #/currency',
    errors: [
      { location: 'body', pointer: '#/name', detail: 'name is required' },
      { location: 'body', pointer: '#/currency', detail: 'currency must be an ISO 4217 code such as EUR' },
    ],
  },
  401: {
    type: PROBLEM_TYPES.unauthorized,
    title: statusTitle(401),
    status: 401,
    detail: 'This resource requires a bearer token (Authorization: Bearer <token>).',
  },
  403: {
    type: PROBLEM_TYPES.forbidden,
    title: statusTitle(403),
    status: 403,
    detail: 'The bearer token lacks the required scope items:write.',
  },
  404: {
    type: PROBLEM_TYPES.notFound,
    title: statusTitle(404),
    status: 404,
    detail: 'Item 0b5c2a52-7c1e-4c6f-9a43-0f3f7d2f9d11 does not exist.',
  },
  409: { type: PROBLEM_TYPES.conflict, title: statusTitle(409), status: 409, detail: 'An item with sku KETTLE-1 already exists.' },
  413: {
    type: PROBLEM_TYPES.blank,
    title: statusTitle(413),
    status: 413,
    detail: 'Request body is too large',
  },
  415: {
    type: PROBLEM_TYPES.blank,
    title: statusTitle(415),
    status: 415,
    detail: 'Unsupported Media Type',
  },
  422: { type: PROBLEM_TYPES.blank, title: statusTitle(422), status: 422, detail: 'The request breaks a business rule.' },
  429: {
    type: PROBLEM_TYPES.rateLimited,
    title: statusTitle(429),
    status: 429,
    detail: 'Too many requests; retry after 30 seconds.',
  },
  500: {
    type: PROBLEM_TYPES.internal,
    title: statusTitle(500),
    status: 500,
    detail: 'An unexpected error occurred. Quote the request id when reporting it.',
  },
  503: {
    type: PROBLEM_TYPES.requestTimeout,
    title: statusTitle(503),
    status: 503,
    detail: 'The request took too long and was abandoned; it may be retried.',
  },
};

/** A 400 of an operation without a body: a query parameter out of range. */
const QUERY_VALIDATION_EXAMPLE: ProblemExample = {
  type: PROBLEM_TYPES.validation,
  title: 'Request validation failed',
  status: 400,
  detail: '1 invalid field: query #/limit',
  errors: [{ location: 'query', pointer: '#/limit', detail: 'limit must not be greater than 100' }],
};

/** A 400 of an operation with path parameters only: `ParseUUIDPipe` refusing the id. */
const PATH_VALIDATION_EXAMPLE: ProblemExample = {
  type: PROBLEM_TYPES.blank,
  title: statusTitle(400),
  status: 400,
  detail: 'Validation failed (uuid is expected)',
};

/** Where an operation takes input, which decides what its 400 example shows. */
export interface ProblemExampleInputs {
  body: boolean;
  query: boolean;
}

/**
 * The example problem documented for an error status on `instance` (a generic
 * one for a status the chassis has no wording for). A 400 names body fields
 * when the operation has a body, else a query parameter when it has one, else
 * shows a refused path parameter.
 */
export function problemExample(
  status: number,
  instance: string,
  inputs: ProblemExampleInputs = { body: true, query: false },
): ProblemDetails {
  const example =
    status === 400 && !inputs.body
      ? inputs.query
        ? QUERY_VALIDATION_EXAMPLE
        : PATH_VALIDATION_EXAMPLE
      : (EXAMPLES[status] ?? { type: PROBLEM_TYPES.blank, title: statusTitle(status), status, detail: statusTitle(status) });
  return {
    ...example,
    instance,
    requestId: '6f1c7b0e-3f0a-4c55-9d0e-2b1d8f5a9c41',
    correlationId: '6f1c7b0e-3f0a-4c55-9d0e-2b1d8f5a9c41',
  };
}

/** Response headers documented with an error status: `Retry-After` on 429 and 503, `WWW-Authenticate` on 401. */
export function problemHeaders(status: number): Record<string, HeaderObject> | undefined {
  if (status === 429 || status === 503) {
    return { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } } };
  }
  if (status === 401) {
    return { 'WWW-Authenticate': { description: 'The bearer challenge (RFC 6750).', schema: { type: 'string', example: 'Bearer' } } };
  }
  return undefined;
}
