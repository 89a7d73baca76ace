import { RequestMethod } from '@nestjs/common';
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
 * - `forRoutes: '{*splat}'`: on Fastify nestjs-pino may bind no request at all
 *   without it (see the stack notes).
 */
export function pinoParams(logger: Logger): Params {
  return {
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    useExisting: true,
    pinoHttp: { logger, autoLogging: false, quietReqLogger: true },
  };
}
