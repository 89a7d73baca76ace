import { trace, type Span } from '@opentelemetry/api';
import type { FastifyReply, FastifyRequest, onRequestAbortHookHandler, onRequestHookHandler, onResponseHookHandler } from 'fastify';
import type { AppConfig } from '../config/app-config';
import type { Logger } from 'pino';
import { correlationIdOf } from '../context/correlation-id';
import { responseStreamStart } from '../context/response-stream';
import { isProbePath } from '../routing/probe-paths';
import { routeTemplate } from '../routing/route-template';
import { redactQuery } from './redact';
import { traceFields } from './trace-context';

/** The access-log message (one line per request). */
export const ACCESS_LOG_MESSAGE = 'request completed';
/** The access-log message of a request whose client closed the connection before the answer. */
export const CLIENT_WENT_AWAY_MESSAGE = 'request aborted: the client went away';

const serverSpan = Symbol('accessLogSpan');
const aborted = Symbol('accessLogAborted');
type WithSpan = FastifyRequest & { [serverSpan]?: Span; [aborted]?: boolean };

/**
 * The hooks that write exactly one access-log line per request, from Fastify's `onResponse`
 * hook: every answer is logged, whichever layer produced it (a 404 from the
 * router, a 413 from the body parser, a 401 from a guard, a 500 from a handler).
 *
 * pino-http's own request logging is off: under Nest's middleware it can log
 * twice or not at all on Fastify, and it does not see answers given before
 * the middleware runs.
 *
 * The span is remembered in `onRequest`, where the server span is active, so
 * the line carries the trace of the request it describes. The line is written
 * with the root logger and names the request's ids itself, so no per-request
 * child logger is built for it (see `DeferredRequestLogger`).
 */
export function accessLogHooks(
  logger: Logger,
  config: AppConfig['logging'],
  metricsPath: string,
): { onRequest: onRequestHookHandler; onResponse: onResponseHookHandler; onRequestAbort: onRequestAbortHookHandler } {
  // An event stream writes its own line when it ends, with how it ended (src/core/streaming).
  const skip = (request: FastifyRequest) =>
    (!config.probeRequests && isProbePath(request.url, metricsPath)) || responseStreamStart(request) !== undefined;
  return {
    onRequest: (request, _reply, done) => {
      (request as WithSpan)[serverSpan] = trace.getActiveSpan();
      done();
    },
    onResponse: (request, reply, done) => {
      if (!skip(request) && !(request as WithSpan)[aborted])
        logger.info(accessLogFields(request, reply, config.queryValues), ACCESS_LOG_MESSAGE);
      done();
    },
    // The client closed the connection first: still one line, at info, saying so (never an error).
    onRequestAbort: (request, done) => {
      (request as WithSpan)[aborted] = true;
      if (!skip(request)) logger.info(abortedRequestFields(request, config.queryValues), CLIENT_WENT_AWAY_MESSAGE);
      done();
    },
  };
}

/** The fields of the line of an aborted request: those of {@link accessLogFields} a response would have had left out. */
export function abortedRequestFields(request: FastifyRequest, keepQueryValues: boolean): Record<string, unknown> {
  return {
    requestId: request.id,
    correlationId: request.chassisContext?.correlationId ?? correlationIdOf(request.raw, String(request.id)),
    method: request.method,
    route: routeTemplate(request),
    url: keepQueryValues ? request.url : redactQuery(request.url),
    clientWentAway: true,
    clientAddress: request.ip,
    userAgent: request.headers['user-agent'],
    tenant_id: request.principal?.tenant,
    ...traceFields((request as WithSpan)[serverSpan]),
  };
}

/** The fields of the access-log line (documented in docs/observability.md). */
export function accessLogFields(request: FastifyRequest, reply: FastifyReply, keepQueryValues: boolean): Record<string, unknown> {
  const length = reply.getHeader('content-length');
  return {
    requestId: request.id,
    correlationId: request.chassisContext?.correlationId ?? correlationIdOf(request.raw, String(request.id)),
    method: request.method,
    route: routeTemplate(request),
    url: keepQueryValues ? request.url : redactQuery(request.url),
    statusCode: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
    clientAddress: request.ip,
    userAgent: request.headers['user-agent'],
    responseSizeBytes: length === undefined ? undefined : Number(length),
    idempotency: request.idempotencyOutcome,
    tenant_id: request.principal?.tenant,
    ...traceFields((request as WithSpan)[serverSpan]),
  };
}
