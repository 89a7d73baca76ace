import { routeConfigValue } from '../routing/route-config';

export { mergeRouteConfig } from '../routing/route-config';

/** The handler metadata key of `@EventStream()`'s options. */
export const EVENT_STREAM_OPTIONS = 'chassis:event-stream';

/** `@EventStream()`'s options. */
export interface EventStreamOptions {
  /**
   * Longest one stream of this route stays open, in seconds, before it ends
   * with a `reconnect` event. Default and ceiling: SSE_MAX_DURATION_SECONDS
   * (a longer value stops the boot).
   */
  maxDurationSeconds?: number;
}

/** The Fastify route `config` key that marks a stream route (read by the route-timeouts and authentication layers). */
export const EVENT_STREAM_ROUTE_CONFIG = 'chassisEventStream';

/** What `@EventStream()` records on the route, as the route's Fastify `config[EVENT_STREAM_ROUTE_CONFIG]`. */
export interface EventStreamRouteConfig {
  /** The route's own maximum stream duration, in seconds; undefined: SSE_MAX_DURATION_SECONDS. */
  maxDurationSeconds?: number;
}

/** The stream settings of a Fastify route's `config`, or undefined for a route that does not stream. */
export function eventStreamRouteConfig(config: unknown): EventStreamRouteConfig | undefined {
  return routeConfigValue<EventStreamRouteConfig>(config, EVENT_STREAM_ROUTE_CONFIG);
}
