import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';
import { generateRequestId } from '../http/request-id';

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
 * - Fastify's own logger is off: nestjs-pino writes the access log.
 */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  const { http } = config;
  return new FastifyAdapter({
    logger: false,
    genReqId: generateRequestId,
    requestIdHeader: false,
    trustProxy: http.trustProxy,
    bodyLimit: http.bodyLimitBytes,
    handlerTimeout: http.requestTimeoutSeconds * 1000,
    keepAliveTimeout: http.keepAliveTimeoutSeconds * 1000,
  });
}
