import type { FastifyRequest } from 'fastify';
import { PROBLEM_TYPES } from './problem-details';
import { ProblemException } from './problem.exception';

/**
 * Turns the handler timeout (REQUEST_TIMEOUT_SECONDS) into 408 Request
 * Timeout (RFC 9110 section 15.5.9) when the request body had not fully
 * arrived: the client sent less than its Content-Length, or too slowly. It is
 * the client's failure, not the server's, so it must not feed the 5xx alerts.
 * `Connection: close`, because the rest of the body may still come and would
 * be read as the next request. Any other error is returned as it is.
 */
export function refineIncompleteBody(error: unknown, request: FastifyRequest): unknown {
  if (!isHandlerTimeout(error) || !isBodyStillArriving(request)) return error;
  return new ProblemException({
    status: 408,
    type: PROBLEM_TYPES.clientTimeout,
    detail: 'The request body did not arrive in time: less than its Content-Length, or too slowly.',
    headers: { connection: 'close' },
  });
}

/** A body was announced (RFC 9112 section 6.3), Fastify has not parsed one, and Node has not read the message to its end. */
function isBodyStillArriving(request: FastifyRequest): boolean {
  const { headers } = request;
  const announced =
    headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
  return announced && request.body === undefined && !request.raw.complete;
}

function isHandlerTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'FST_ERR_HANDLER_TIMEOUT';
}
