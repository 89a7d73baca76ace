import type { FastifyChildLoggerFactory } from 'fastify/types/logger';
import { CORRELATION_ID_HEADER, resolveCorrelationId } from './correlation-id';

/**
 * Fastify's `childLoggerFactory`: the per-request logger is bound to the
 * request id (Fastify's `requestIdLogLabel`) and to the correlation id, so
 * every request-scoped line — the access log, the problem filter's, and
 * feature logs through nestjs-pino, which reuses this logger — carries both.
 *
 * It runs when Fastify creates the request, before any hook, so the id is
 * derived from the raw headers with the same rule the request-context hook
 * applies (`resolveCorrelationId`): both give the same value.
 */
export const correlationChildLogger: FastifyChildLoggerFactory = function (logger, bindings, options, rawRequest) {
  const requestId = String((bindings as { requestId?: unknown }).requestId ?? '');
  const correlationId = resolveCorrelationId(rawRequest.headers[CORRELATION_ID_HEADER], requestId);
  return logger.child({ ...bindings, correlationId }, options);
};
