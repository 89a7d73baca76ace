import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';
import { generateRequestId } from '../http/request-id';

/**
 * The Fastify adapter and the server-level settings that cannot be changed
 * after it is created.
 *
 * - `genReqId` mints every request id; `requestIdHeader: false` means an
 *   inbound X-Request-ID is never taken as the id.
 * - `bodyLimit` makes an oversized body a 413 before it is buffered.
 * - Fastify's own logger is off: nestjs-pino writes the access log.
 */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    logger: false,
    genReqId: generateRequestId,
    requestIdHeader: false,
    bodyLimit: config.http.bodyLimitBytes,
  });
}
