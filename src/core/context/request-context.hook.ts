import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../http/request-id';
import { CORRELATION_ID_HEADER, correlationIdOf } from './correlation-id';
import { currentRequestContext, runInRequestContext, type RequestContext } from './request-context';

/**
 * Layer 1 of the pipeline: the request's identity.
 *
 * - echoes `X-Request-ID` (minted by Fastify's `genReqId`) and
 *   `X-Correlation-ID` on every response, errors, 404s and preflights
 *   included, because it runs first, before anything can answer;
 * - enters an `AsyncLocalStorage` context for the rest of the request.
 *
 * The context is entered twice: in `onRequest`, and again in `preHandler`,
 * because Fastify parses the body in stream callbacks that do not carry the
 * `onRequest` async context (the approach of @fastify/request-context).
 */
export function useRequestContext(fastify: FastifyInstance): void {
  fastify.decorateRequest('correlationId', '');
  fastify.decorateRequest('chassisContext', null);

  fastify.addHook('onRequest', (request, reply, done) => {
    const context = createContext(request);
    request.correlationId = context.correlationId;
    request.chassisContext = context;
    void reply.header(REQUEST_ID_HEADER, request.id).header(CORRELATION_ID_HEADER, context.correlationId);
    runInRequestContext(context, done);
  });

  fastify.addHook('preHandler', (request, _reply, done) => {
    // Re-entered only when the context was lost (a body was parsed); a GET keeps it.
    if (request.chassisContext && currentRequestContext() !== request.chassisContext) runInRequestContext(request.chassisContext, done);
    else done();
  });
}

/**
 * The context holds values only, never the request: AsyncLocalStorage copies
 * it onto every async resource the request creates (promises, timers, socket
 * writes), and a getter closing over the request once kept whole request
 * graphs alive through young-generation collections: about 6 KB promoted to
 * the old generation and 20 µs of scavenging per request (docs/performance.md).
 * So the signal is read here: with REQUEST_TIMEOUT_SECONDS > 0 Fastify has
 * already created it for the handler timeout; with 0 this creates it (one
 * AbortController and a `close` listener, as Fastify's own getter does).
 */
function createContext(request: FastifyRequest): RequestContext {
  const requestId = String(request.id);
  return {
    requestId,
    correlationId: correlationIdOf(request.raw, requestId),
    // Aborted on handler timeout and on client disconnect (Fastify's `request.signal`).
    signal: request.signal,
  };
}
