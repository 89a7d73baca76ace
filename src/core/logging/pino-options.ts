import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { correlationLogProps } from '../context/correlation-log-props';

/** Headers whose values never reach a log line. */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'];

/**
 * nestjs-pino settings: JSON lines with RFC 3339 timestamps in production,
 * pino-pretty in development, the Fastify request id on every line.
 *
 * `forRoutes: '{*splat}'` is needed on Fastify, where nestjs-pino otherwise
 * may log no request at all (see shared stack notes).
 */
export function pinoParams(config: AppConfig, destination?: DestinationStream): Params {
  const pretty = config.logging.format === 'pretty' && !destination;
  return {
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level: config.logging.level,
        base: { service: config.app.serviceName, version: config.app.version },
        timestamp: () => `,"time":"${new Date().toISOString()}"`,
        messageKey: 'msg',
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        // Fastify minted the id (genReqId on the adapter); reuse it so the
        // access log, the problem body and the X-Request-ID header agree.
        genReqId: (req) => (req as unknown as { id: string }).id,
        // Request id (Fastify's) and correlation id (issue 3) on the access log and every request-scoped line.
        customProps: (req) => ({ requestId: (req as unknown as { id: string }).id, ...correlationLogProps(req) }),
        transport: pretty ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
      },
      destination,
    ] as Params['pinoHttp'],
  };
}
