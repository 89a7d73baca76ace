import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** The response header carrying the request id. */
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

/** Echoes the id on every response, including errors, 404s and preflights. */
export function echoRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
