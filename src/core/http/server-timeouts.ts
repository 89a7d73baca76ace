import type { Server } from 'node:http';
import type { AppConfig } from '../config/app-config';

/**
 * Node server timeouts Fastify has no option for.
 *
 * `headersTimeout` bounds how long a client may take to send the request
 * headers (slow-loris). Node measures it from the first byte of a request, so
 * it does not cut idle keep-alive connections; those are governed by
 * `keepAliveTimeout` (set on the adapter). Node's `requestTimeout` stays off
 * (Fastify's default): the handler timeout already covers reading the body,
 * and answers with a problem response rather than a bare 408.
 */
export function applyServerTimeouts(server: Server, config: AppConfig): void {
  server.headersTimeout = config.http.headersTimeoutSeconds * 1000;
}
