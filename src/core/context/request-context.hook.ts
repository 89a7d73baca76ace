import type { ServerResponse } from 'node:http';
import type {
  FastifyInstance,
  FastifyRequest,
  onRequestAbortHookHandler,
  onRequestHookHandler,
  onResponseHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import { REQUEST_ID_HEADER } from './request-id';
import { CORRELATION_ID_HEADER, correlationIdOf } from './correlation-id';
import { currentRequestContext, runInRequestContext } from './request-context';
import { attachServedContext, ServedRequestContext } from './served-request-context';

/**
 * The request's identity, in hooks:
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
export function requestContextHooks(): {
  onRequest: onRequestHookHandler;
  preHandler: preHandlerHookHandler;
  onResponse: onResponseHookHandler;
  onRequestAbort: onRequestAbortHookHandler;
} {
  return {
    onRequest: (request, reply, done) => {
      const context = createContext(request, reply.raw);
      request.chassisContext = context;
      void reply.header(REQUEST_ID_HEADER, request.id).header(CORRELATION_ID_HEADER, context.correlationId);
      runInRequestContext(context, done);
    },
    preHandler: (request, _reply, done) => {
      // Re-entered only when the context was lost (a body was parsed); a GET keeps it.
      if (request.chassisContext && currentRequestContext() !== request.chassisContext) runInRequestContext(request.chassisContext, done);
      else done();
    },
    // The request is over: the context stops pointing at it (see ServedRequestContext).
    onResponse: (request, _reply, done) => {
      request.chassisContext?.release();
      done();
    },
    onRequestAbort: (request, done) => {
      request.chassisContext?.release();
      done();
    },
  };
}

/** Declares the request properties {@link requestContextHooks} sets, so Fastify keeps one request shape. */
export function decorateRequestContext(fastify: FastifyInstance): void {
  fastify.decorateRequest('chassisContext', null);
}

function createContext(request: FastifyRequest, response: ServerResponse): ServedRequestContext {
  const requestId = String(request.id);
  const context = new ServedRequestContext(requestId, correlationIdOf(request.raw, requestId), request, response);
  attachServedContext(response, context);
  return context;
}
