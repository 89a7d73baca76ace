import type { FastifyRequest } from 'fastify';

/** Start of every `@CacheResponse()` key; `invalidatePrefix('http:')` drops them all. */
export const RESPONSE_CACHE_KEY_PREFIX = 'http:';

/**
 * The cache key of a response: route template, actual path, normalized query
 * and caller.
 *
 * `http:<template>|<path>?<query>|<caller>`, e.g.
 * `http:/items/:id|/items/42?a=1&b=2|anonymous`.
 *
 * - The route template comes first so every response of a route shares a
 *   prefix (`http:/items/:id|`) for {@link AppCache.invalidatePrefix}.
 * - The query is sorted by parameter name (values of a repeated parameter
 *   keep their order), so `?b=2&a=1` and `?a=1&b=2` share an entry.
 * - The caller is `anonymous`, or the principal's issuer and subject: a JWT
 *   `sub` is unique only within its issuer (RFC 7519 §4.1.2). One user's
 *   response is never served to another. With tenancy on, the tenant follows
 *   (`principal:<iss>:<sub>:tenant:<tenant>`): never served across tenants.
 */
export function responseCacheKey(request: FastifyRequest): string {
  const [path, query = ''] = request.url.split('?', 2);
  const template = request.routeOptions.url ?? path;
  return `${RESPONSE_CACHE_KEY_PREFIX}${template}|${path}?${normalizeQuery(query)}|${caller(request)}`;
}

/** Sorts a raw query string by parameter name (stable) and re-encodes it. */
export function normalizeQuery(query: string): string {
  const params = [...new URLSearchParams(query)];
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(params).toString();
}

function caller(request: FastifyRequest): string {
  const principal = request.principal;
  if (!principal) return 'anonymous';
  const key = `principal:${encodeURIComponent(principal.issuer)}:${encodeURIComponent(principal.subject)}`;
  return principal.tenant === undefined ? key : `${key}:tenant:${principal.tenant}`;
}
