import { ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { isClientGone } from './client-gone';
import { refineIncompleteBody } from './incomplete-body';
import { refineUnmatchedRoute } from './method-not-allowed';
import { RequestAbandonedError } from './request-abandoned';
import { refineHandlerTimeout } from './request-timeout';
import type { RouteRegistry } from '../routing/route-registry';
import { mapError } from './map-error';
import { OutageLog } from './outage-log';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, type ProblemDetails } from './problem-details';
import type { ProblemInit } from './problem.exception';
import { statusTitle } from './status-titles';

/**
 * The one global exception filter: every error response is RFC 9457
 * `application/problem+json`, whatever threw it (a pipe, a guard, a handler,
 * Fastify's body parser, the not-found handler).
 *
 * No stack trace or internal message ever reaches a client; server faults
 * (500) are logged with their stack and the request id, so the id in the
 * response finds the log line. Expected 503s (a dependency down, the request
 * deadline passed) go to {@link OutageLog}: one warning per cause per
 * interval and a counter, not a stack per request.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');
  private readonly outages: OutageLog;

  /**
   * @param routes the route registry, to turn an unmatched method into 405.
   * @param metrics the registry `http_dependency_unavailable_total` is exported from.
   */
  constructor(
    private readonly routes: RouteRegistry,
    metrics: Registry,
  ) {
    this.outages = new OutageLog(this.logger, metrics);
  }

  catch(thrown: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Nobody would receive an answer; the access log has the request's one line (client went away).
    if (isClientGone(request, thrown)) return;
    // The abandoned handler's work failing after its 503 was sent: nothing to answer, nothing new to report.
    if (thrown instanceof RequestAbandonedError && (reply.sent || reply.raw.headersSent)) {
      this.logger.debug({ requestId: request.id, error: describe(thrown) }, 'Abandoned request stopped');
      return;
    }
    const error = refineIncompleteBody(refineHandlerTimeout(refineUnmatchedRoute(thrown, request, this.routes), request), request);
    const { problem, serverFault, outage } = mapError(error);
    // Empty when the request failed before the request-context hook ran.
    const correlationId = request.chassisContext?.correlationId ?? '';

    if (outage) {
      this.outages.record(outage, error, { status: problem.status, requestId: request.id, correlationId });
    } else if (serverFault) {
      this.logger.error({ err: error, requestId: request.id, correlationId }, 'Unhandled error while serving a request');
    } else {
      this.logger.debug({ status: problem.status, requestId: request.id, correlationId, error: describe(error) }, 'Request refused');
    }
    // A response already streaming (headers sent) cannot become a problem; Fastify ends it.
    if (reply.sent || reply.raw.headersSent) return;
    sendProblem(reply, toProblemDetails(problem, request), problem.headers);
  }
}

/** Completes a {@link ProblemInit} into the full body for this request. */
export function toProblemDetails(problem: ProblemInit, request: FastifyRequest): ProblemDetails {
  return {
    type: problem.type ?? PROBLEM_TYPES.blank,
    title: problem.title ?? statusTitle(problem.status),
    status: problem.status,
    detail: problem.detail ?? statusTitle(problem.status),
    instance: request.url.split('?', 1)[0],
    requestId: String(request.id),
    correlationId: request.chassisContext?.correlationId || String(request.id),
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...problem.extensions,
  };
}

/** Writes a problem response. Also used by the Fastify-level hooks that answer before Nest. */
export function sendProblem(reply: FastifyReply, body: ProblemDetails, headers?: Record<string, string>): void {
  if (headers) void reply.headers(headers);
  void reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
