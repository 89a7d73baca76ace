import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { correlationChildLogger } from '../context/correlation-child-logger';
import { generateRequestId, REQUEST_ID_LOG_LABEL } from '../http/request-id';

/**
 * The Fastify adapter and the server-level settings that cannot be changed
 * after it is created.
 *
 * - `genReqId` mints every request id; `requestIdHeader: false` means an
 *   inbound X-Request-ID is never taken as the id.
 * - `trustProxy` (TRUST_PROXY): off, a hop count or a CIDR list, compiled by
 *   proxy-addr. It decides `request.ip` (the rightmost untrusted
 *   `X-Forwarded-For` hop), `request.protocol` and `request.host`
 *   (`X-Forwarded-Proto`/`-Host` honoured only from a trusted peer).
 * - `bodyLimit` makes an oversized body a 413 before it is buffered.
 * - `handlerTimeout` (REQUEST_TIMEOUT_SECONDS): Fastify answers 503 (rendered
 *   as a problem by the filter) and aborts `request.signal`, which handlers
 *   see as `currentRequestContext().signal`.
 * - `keepAliveTimeout` above the load balancer's idle timeout, so the LB,
 *   not us, closes idle connections (else it may reuse one we just closed: 502).
 * - `loggerInstance` is the app's root pino logger: each request gets a child
 *   bound to `requestId` and `correlationId` (`childLoggerFactory`), which
 *   nestjs-pino hands to feature code. Fastify's
 *   own request logging is off: the chassis writes one access-log line per
 *   request itself (`logging/access-log.ts`).
 * - `return503OnClosing: false`: a request that reaches the server while it
 *   closes (on a connection accepted just before) is served normally, with
 *   `Connection: close`, instead of Fastify's bare 503 — the database is still
 *   open until the server has closed (see docs/shutdown.md).
 */
export function createFastifyAdapter(config: AppConfig, logger: Logger): FastifyAdapter {
  const { http } = config;
  return new FastifyAdapter({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: REQUEST_ID_LOG_LABEL }),
    childLoggerFactory: correlationChildLogger,
    genReqId: generateRequestId,
    requestIdHeader: false,
    trustProxy: http.trustProxy,
    bodyLimit: http.bodyLimitBytes,
    handlerTimeout: http.requestTimeoutSeconds * 1000,
    keepAliveTimeout: http.keepAliveTimeoutSeconds * 1000,
    return503OnClosing: false,
  });
}
