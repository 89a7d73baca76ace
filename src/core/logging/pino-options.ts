import type { Params } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * nestjs-pino settings. The logger is the app's root logger (see
 * `createRootLogger`), which Fastify also uses:
 *
 * - `useExisting`: inside a request, `PinoLogger` and Nest's `Logger` write
 *   through Fastify's per-request child logger, bound to `requestId`
 *   (Fastify's `requestIdLogLabel`), so feature logs carry the request id.
 * - `autoLogging: false`: the access log is written by a Fastify hook instead
 *   (`access-log.ts`), exactly once per request.
 * - `forRoutes: []`: no nestjs-pino middleware. With `useExisting` all it
 *   would do is bind the request's logger for `PinoLogger`; a Fastify hook
 *   does that instead (`request-logger.ts`), without the cost of running Nest
 *   middleware on Fastify (docs/performance.md).
 */
export function pinoParams(logger: Logger): Params {
  return {
    forRoutes: [],
    useExisting: true,
    pinoHttp: { logger, autoLogging: false, quietReqLogger: true },
  };
}
