import type { FastifyChildLoggerFactory } from 'fastify/types/logger';
import { correlationIdOf } from './correlation-id';

/**
 * Fastify's `childLoggerFactory`: the per-request logger is bound to the
 * request id (Fastify's `requestIdLogLabel`) and to the correlation id, so
 * every request-scoped line — the access log, the problem filter's, and
 * feature logs through nestjs-pino, which reuses this logger — carries both.
 *
 * It runs when Fastify creates the request, before any hook: it resolves the
 * id from the raw headers (`correlationIdOf`, which remembers it on the raw
 * request for the request-context hook).
 */
export const correlationChildLogger: FastifyChildLoggerFactory = function (logger, bindings, options, rawRequest) {
  const requestId = String((bindings as { requestId?: unknown }).requestId ?? '');
  const correlationId = correlationIdOf(rawRequest, requestId);
  return logger.child({ ...bindings, correlationId }, options);
};
