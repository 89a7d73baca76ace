/**
 * An RFC 9457 problem details object, as sent with
 * `Content-Type: application/problem+json`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
export interface ProblemDetails {
  /** A URI naming the problem type; `about:blank` when the status says it all. */
  type: string;
  /** A short, human-readable summary of the type (the same for every occurrence). */
  title: string;
  /** The HTTP status code. */
  status: number;
  /** A human-readable explanation of this occurrence. Never a stack trace. */
  detail: string;
  /** The request path this occurrence happened on (query string left out: it may hold secrets). */
  instance: string;
  /** The server-minted request id (also in the `X-Request-ID` response header). */
  requestId: string;
  /** The inbound `X-Correlation-ID` when well-formed, else the request id (also a response header). */
  correlationId: string;
  /** Field errors, for validation problems. */
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** One invalid field. `pointer` is a JSON Pointer (RFC 6901) into the part named by `location`. */
export interface FieldError {
  /** Where the field is: the JSON body, the query string or the path. */
  location: 'body' | 'query' | 'path' | 'header';
  /** e.g. `#/name` or `#/tags/0`. */
  pointer: string;
  /** What is wrong with it. */
  detail: string;
}

/** Problem type URIs the chassis uses; documented in docs/errors.md. */
export const PROBLEM_TYPES = {
  blank: 'about:blank',
  validation: 'tag:nest-chassis,2026:problems/validation',
  malformedBody: 'tag:nest-chassis,2026:problems/malformed-body',
  jsonLimit: 'tag:nest-chassis,2026:problems/json-limit',
  malformedRequest: 'tag:nest-chassis,2026:problems/malformed-request',
  clientTimeout: 'tag:nest-chassis,2026:problems/client-timeout',
  notFound: 'tag:nest-chassis,2026:problems/not-found',
  conflict: 'tag:nest-chassis,2026:problems/conflict',
  businessRule: 'tag:nest-chassis,2026:problems/business-rule',
  preconditionFailed: 'tag:nest-chassis,2026:problems/precondition-failed',
  unauthorized: 'tag:nest-chassis,2026:problems/unauthorized',
  forbidden: 'tag:nest-chassis,2026:problems/forbidden',
  authenticationUnavailable: 'tag:nest-chassis,2026:problems/authentication-unavailable',
  internal: 'tag:nest-chassis,2026:problems/internal',
  invalidHost: 'tag:nest-chassis,2026:problems/invalid-host',
  rateLimited: 'tag:nest-chassis,2026:problems/rate-limited',
  rateLimitUnavailable: 'tag:nest-chassis,2026:problems/rate-limit-unavailable',
  tooManyStreams: 'tag:nest-chassis,2026:problems/too-many-streams',
  requestTimeout: 'tag:nest-chassis,2026:problems/request-timeout',
  databaseUnavailable: 'tag:nest-chassis,2026:problems/database-unavailable',
  idempotencyKeyInvalid: 'tag:nest-chassis,2026:problems/idempotency-key-invalid',
  idempotencyKeyInFlight: 'tag:nest-chassis,2026:problems/idempotency-key-in-flight',
  idempotencyKeyReused: 'tag:nest-chassis,2026:problems/idempotency-key-reused',
  idempotencyUnavailable: 'tag:nest-chassis,2026:problems/idempotency-unavailable',
  preconditionRequired: 'tag:nest-chassis,2026:problems/precondition-required',
} as const;

/** The problem+json media type (RFC 9457 section 3). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
