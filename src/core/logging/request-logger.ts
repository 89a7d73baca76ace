import type { preHandlerHookHandler } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';

/**
 * The `preHandler` hook that opens nestjs-pino's request scope, so
 * `PinoLogger.assign()` works inside a request. The scope's logger is the root
 * logger itself, not a per-request child: the request's `requestId` and
 * `correlationId` are added to every line logged inside the request by the
 * root logger's mixin (`logMixin`, from the request context), which costs
 * nothing when nothing is logged.
 *
 * Why not nestjs-pino's own middleware (`forRoutes`): on Fastify it runs as
 * Nest middleware through @fastify/middie, which for every request copies ten
 * properties onto the raw request (computing `ips` from the proxy chain),
 * decodes and matches the path, and wraps the call in Nest's middleware
 * proxy (see docs/performance.md). This
 * hook does the one thing that middleware does with `useExisting`.
 *
 * `preHandler` because Fastify parses bodies in stream callbacks that drop
 * the async context of `onRequest` (see `requestContextHooks`); guards, pipes,
 * interceptors, handlers and the exception filter all run after it.
 * `runInContext` is nestjs-pino's public API for binding a logging scope.
 */
export function requestLoggerHook(logger: PinoLogger): preHandlerHookHandler {
  return (_request, _reply, done) => {
    logger.runInContext(done);
  };
}
