import { randomUUID } from 'node:crypto';

/** The log field carrying the request id, on every line written while serving a request. */
export const REQUEST_ID_LOG_LABEL = 'requestId';

/** The response header carrying the request id (echoed by the request-context hook, `src/core/context`). */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Mints the request id. Fastify calls it for every request (set as the
 * adapter's `genReqId`); an inbound `X-Request-ID` is not trusted as the id
 * (the adapter's `requestIdHeader` is off), so clients cannot forge entries
 * in our logs.
 */
export function generateRequestId(): string {
  return randomUUID();
}
