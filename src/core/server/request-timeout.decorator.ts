import { mergeRouteConfig } from '../routing/route-config';

/** The Fastify route `config` key of `@RequestTimeout()`, read by the route-timeouts hook. */
export const REQUEST_TIMEOUT_ROUTE_CONFIG = 'chassisRequestTimeoutSeconds';

/** The bounds of a route's own request timeout, in seconds. */
export const ROUTE_TIMEOUT_BOUNDS = { min: 1, max: 600 } as const;

/**
 * This route's own handler timeout, in seconds, instead of REQUEST_TIMEOUT_SECONDS:
 * past it the client gets the same 503 `request-timeout` problem and the
 * request's `AbortSignal` aborts. For a route known to be slower (a report) or
 * that must answer sooner. Not for streams: `@EventStream()` routes have a
 * maximum stream duration instead.
 *
 * @param seconds a whole number from 1 to 600.
 * @throws Error at boot when `seconds` is out of bounds, or on an `@EventStream()` route.
 * @example `@Get('report') @RequestTimeout(120) report() {…}`
 */
export function RequestTimeout(seconds: number): MethodDecorator {
  const { min, max } = ROUTE_TIMEOUT_BOUNDS;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new Error(`@RequestTimeout(${seconds}): must be a whole number of seconds from ${min} to ${max}`);
  }
  return mergeRouteConfig(REQUEST_TIMEOUT_ROUTE_CONFIG, seconds);
}
