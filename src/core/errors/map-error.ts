import { HttpException } from '@nestjs/common';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { databaseFaultCause } from './dependency-faults';
import { DomainError } from './domain-errors';
import { PROBLEM_TYPES } from './problem-details';
import { ProblemException, type ProblemInit } from './problem.exception';
import { RequestAbandonedError } from './request-abandoned';
import { UPSTREAM_PROBLEM_DETAILS, UpstreamError } from './upstream-errors';

/** A mapped error: the problem to send, and whether it is the server's fault (log the stack). */
export interface MappedError {
  problem: ProblemInit;
  serverFault: boolean;
  /**
   * Set for an expected 503 (a dependency down or timed out, the request
   * deadline passed): the cause it is logged and counted under, rate-limited,
   * never with a stack. `serverFault` is then false.
   */
  outage?: string;
}

/** `Retry-After` of a database-unavailable answer, in seconds (docs/errors.md). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The short name of a chassis problem type (`…/problems/rate-limit-unavailable` → `rate-limit-unavailable`). */
function typeName(type: string | undefined): string {
  return type?.split('/').pop() ?? 'service-unavailable';
}

/**
 * Turns anything thrown while handling a request into a problem.
 * Order matters: the most specific kinds first, the 500 fallback last.
 */
export function mapError(error: unknown): MappedError {
  if (error instanceof ProblemException) {
    // A 503 a chassis layer chose (Redis fail-closed, JWKS keys unavailable) is an outage, not a bug.
    if (error.problem.status === 503) return { problem: error.problem, serverFault: false, outage: typeName(error.problem.type) };
    return client(error.problem);
  }
  if (error instanceof DomainError) {
    return client({ status: error.status, type: error.type, detail: error.message });
  }
  if (error instanceof UpstreamError) {
    // The upstream is named in the outage log only, never in the body (docs/outbound-http.md).
    return {
      serverFault: false,
      outage: `upstream:${error.upstream}:${error.failure}`,
      problem: { status: error.status, type: error.type, detail: UPSTREAM_PROBLEM_DETAILS[error.status] },
    };
  }
  if (error instanceof HttpException) return fromHttpException(error);
  if (error instanceof EntityNotFoundError) {
    return client({ status: 404, type: PROBLEM_TYPES.notFound, detail: 'The requested resource does not exist.' });
  }
  if (error instanceof QueryFailedError && isConstraintViolation(error)) {
    return client({
      status: 409,
      type: PROBLEM_TYPES.conflict,
      detail: 'The request conflicts with existing data (a unique or reference constraint).',
    });
  }
  const databaseCause = databaseFaultCause(error);
  if (databaseCause) {
    return {
      serverFault: false,
      outage: `database:${databaseCause}`,
      problem: {
        status: 503,
        type: PROBLEM_TYPES.databaseUnavailable,
        detail: 'The database is unavailable or did not answer in time; retry later.',
        headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
      },
    };
  }
  // Database work stopped because the request was abandoned: the deadline's own answer, not a fault.
  if (isHandlerTimeout(error) || error instanceof RequestAbandonedError) {
    return {
      serverFault: false,
      outage: 'request-timeout',
      problem: {
        status: 503,
        type: PROBLEM_TYPES.requestTimeout,
        detail: 'The request took too long and was abandoned; it may be retried.',
      },
    };
  }
  return {
    serverFault: true,
    problem: { status: 500, type: PROBLEM_TYPES.internal, detail: 'An unexpected error occurred. Quote the request id when reporting it.' },
  };
}

function client(problem: ProblemInit): MappedError {
  return { problem, serverFault: problem.status >= 500 };
}

/**
 * Nest's own exceptions (NotFoundException for unknown routes, a pipe's
 * BadRequestException, ...), and Fastify's body-parsing errors, which Nest
 * wraps as HttpException with Fastify's fixed message ("Request body is too
 * large"). Their message is meant for clients; a 5xx HttpException's is not,
 * so it is replaced.
 */
function fromHttpException(error: HttpException): MappedError {
  const status = error.getStatus();
  if (status >= 500) {
    return { serverFault: true, problem: { status, detail: 'The server could not handle the request.' } };
  }
  const response = error.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
  const type = status === 400 && /JSON/.test(detail) ? PROBLEM_TYPES.malformedBody : undefined;
  return client({ status, detail, type });
}

/** Fastify's `handlerTimeout` fired (REQUEST_TIMEOUT_SECONDS); Fastify has aborted `request.signal`. */
function isHandlerTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'FST_ERR_HANDLER_TIMEOUT';
}

/** PostgreSQL SQLSTATE class 23 (integrity constraint) or SQLite SQLITE_CONSTRAINT_*. */
function isConstraintViolation(error: QueryFailedError): boolean {
  const driverError = error.driverError as { code?: unknown } | undefined;
  const code = typeof driverError?.code === 'string' ? driverError.code : '';
  return code.startsWith('23') || code.startsWith('SQLITE_CONSTRAINT');
}
