import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';

/**
 * Node server timeouts Fastify has no option for.
 *
 * `headersTimeout` bounds how long a client may take to send the request
 * headers (slow-loris). Node measures it from the first byte of a request, so
 * it does not cut idle keep-alive connections; those are governed by
 * `keepAliveTimeout` (set on the adapter); Node checks it every
 * `connectionsCheckingInterval` (1 s, set on the adapter) and the client-error
 * handler answers a 408 problem. Node's `requestTimeout` stays off (Fastify's
 * default): the handler timeout already covers reading the body, and a body
 * still arriving then gets a 408 problem (`incomplete-body.ts`).
 */
export function registerServerTimeouts(app: NestFastifyApplication, config: AppConfig): void {
  app.getHttpServer().headersTimeout = config.http.headersTimeoutSeconds * 1000;
}
