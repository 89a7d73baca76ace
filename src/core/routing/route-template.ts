import type { FastifyRequest } from 'fastify';

/**
 * The `route` value of requests no route matched (404, 405). One value for all
 * of them keeps the label's cardinality bounded: a scanner probing random paths
 * must not create a time series per path.
 */
export const UNMATCHED_ROUTE = 'UNMATCHED';

/** The route template (`/items/:id`), never the raw path; {@link UNMATCHED_ROUTE} when no route matched. */
export function routeTemplate(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}
