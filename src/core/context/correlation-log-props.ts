import type { IncomingMessage } from 'node:http';
import { CORRELATION_ID_HEADER, resolveCorrelationId } from './correlation-id';

/**
 * pino-http `customProps`: adds `correlationId` to the access-log line and to
 * every line of the request-scoped logger. pino-http runs as Nest middleware,
 * before the chassis's request-context hook, so the id is derived from the
 * raw request (headers and the Fastify-minted id) rather than read back.
 */
export function correlationLogProps(req: IncomingMessage): { correlationId: string } {
  const requestId = String((req as IncomingMessage & { id?: unknown }).id ?? '');
  return { correlationId: resolveCorrelationId(req.headers[CORRELATION_ID_HEADER], requestId) };
}
