import type { onRouteHookHandler } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { eventStreamRouteConfig } from '../streaming/event-stream-route';
import { routeConfigValue } from '../routing/route-config';
import { REQUEST_TIMEOUT_ROUTE_CONFIG } from './request-timeout.decorator';

/** How long past its maximum duration a stream's handler timeout fires, in seconds: a backstop should the stream not end itself. */
export const STREAM_TIMEOUT_MARGIN_SECONDS = 60;

/**
 * The `onRoute` hook that gives routes their own Fastify `handlerTimeout`:
 *
 * - `@RequestTimeout(seconds)`: that many seconds instead of REQUEST_TIMEOUT_SECONDS;
 * - `@EventStream()`: the stream's maximum duration plus
 *   {@link STREAM_TIMEOUT_MARGIN_SECONDS}, so the request timeout never cuts a
 *   stream (the stream ends itself at its maximum duration).
 *
 * @throws Error while the routes are registered (the boot fails) for a stream
 *   whose `maxDurationSeconds` exceeds SSE_MAX_DURATION_SECONDS, or a route with both.
 */
export function routeTimeoutsHook(config: AppConfig): onRouteHookHandler {
  return (route) => {
    const stream = eventStreamRouteConfig(route.config);
    const seconds = routeConfigValue<number>(route.config, REQUEST_TIMEOUT_ROUTE_CONFIG);
    const name = `${String(route.method)} ${route.url}`;
    if (stream !== undefined) {
      if (seconds !== undefined) throw new Error(`${name}: @RequestTimeout() does not apply to an @EventStream() route`);
      const ceiling = config.streaming.maxDurationSeconds;
      const maxDuration = stream.maxDurationSeconds ?? ceiling;
      if (maxDuration > ceiling) {
        throw new Error(`${name}: @EventStream({ maxDurationSeconds: ${maxDuration} }) exceeds SSE_MAX_DURATION_SECONDS (${ceiling})`);
      }
      route.handlerTimeout = Math.ceil((maxDuration + STREAM_TIMEOUT_MARGIN_SECONDS) * 1000);
    } else if (seconds !== undefined) {
      route.handlerTimeout = seconds * 1000;
    }
  };
}
