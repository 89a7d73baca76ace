import { NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from './problem.exception';
import type { RouteRegistry } from '../routing/route-registry';

/**
 * Refines Nest's "no route matched" 404 into a 405 when the path exists for
 * other methods. Returns the error to render.
 */
export function refineUnmatchedRoute(error: unknown, request: FastifyRequest, routes: RouteRegistry): unknown {
  if (!(error instanceof NotFoundException) || request.routeOptions.url !== undefined) return error;
  const path = request.url.split('?', 1)[0];
  const allowed = routes.allowedMethods(path);
  if (allowed.length === 0) {
    return new ProblemException({ status: 404, detail: `No route matches ${request.method} ${path}.` });
  }
  return new ProblemException({
    status: 405,
    detail: `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`,
    headers: { allow: allowed.join(', ') },
  });
}
