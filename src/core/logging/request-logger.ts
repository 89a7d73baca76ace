import type { FastifyInstance } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import { REQUEST_ID_LOG_LABEL } from '../http/request-id';

/**
 * Binds nestjs-pino's request scope in a Fastify `preHandler` hook: inside a
 * request, `PinoLogger` and Nest's `Logger` write lines bound to the
 * request's `requestId` (Fastify's `requestIdLogLabel`) and `correlationId`,
 * the same bindings as Fastify's per-request child logger.
 *
 * Why not nestjs-pino's own middleware (`forRoutes`): on Fastify it runs as
 * Nest middleware through @fastify/middie, which for every request copies ten
 * properties onto the raw request (computing `ips` from the proxy chain),
 * decodes and matches the path, and wraps the call in Nest's middleware
 * proxy; about 8 % of the pipeline's CPU here (docs/performance.md). This
 * hook does the one thing that middleware does with `useExisting`.
 *
 * `preHandler` because Fastify parses bodies in stream callbacks that drop
 * the async context of `onRequest` (see `useRequestContext`); guards, pipes,
 * interceptors, handlers and the exception filter all run after it.
 * `runInContext` is nestjs-pino's public API for binding a logging scope.
 */
export function bindRequestLogger(fastify: FastifyInstance, logger: PinoLogger): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    // The same two ids Fastify's own per-request logger carries (see correlation-child-logger.ts).
    logger.runInContext(done, { bindings: { [REQUEST_ID_LOG_LABEL]: request.id, correlationId: request.correlationId } });
  });
}
