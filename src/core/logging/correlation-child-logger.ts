import type { FastifyChildLoggerFactory } from 'fastify/types/logger';
import type { Logger } from 'pino';
import { deferredRequestLogger } from './deferred-request-logger';

/**
 * Fastify's `childLoggerFactory`: the per-request logger (`request.log`) is
 * bound to the request id (Fastify's `requestIdLogLabel`) and to the
 * correlation id, so every line written through it carries both.
 *
 * The child is deferred (`DeferredRequestLogger`): it is built, with exactly
 * these bindings, the first time something logs through `request.log`; the
 * correlation id is resolved by `correlationIdOf`, once per request.
 */
export const correlationChildLogger: FastifyChildLoggerFactory = function (logger, bindings, options, rawRequest) {
  return deferredRequestLogger(logger as Logger, bindings, options, rawRequest);
};
