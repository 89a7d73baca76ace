import { HttpException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Recovers Fastify's handler-timeout error (REQUEST_TIMEOUT_SECONDS).
 *
 * Fastify sends `FST_ERR_HANDLER_TIMEOUT` (503) through the error handler and
 * aborts `request.signal` with it as the reason; Nest's router turns every
 * FastifyError into a plain `HttpException`, losing its code. The signal's
 * reason tells the timeout apart from any other 503, so the filter can answer
 * with the request-timeout problem type.
 */
export function refineHandlerTimeout(error: unknown, request: FastifyRequest): unknown {
  if (!(error instanceof HttpException) || error.getStatus() !== 503) return error;
  const reason: unknown = request.signal.reason;
  const isTimeout = typeof reason === 'object' && reason !== null && (reason as { code?: unknown }).code === 'FST_ERR_HANDLER_TIMEOUT';
  return isTimeout ? reason : error;
}
