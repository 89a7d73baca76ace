import { z } from 'zod';
import { APP_IDENTITY } from '../../config/app.config';
import { envInt, envKeyPrefix, envNumber } from '../../config/env';
import type { SliceOf } from '../../config/settings-block';

/** The event hub: live events per topic with a replay window (docs/streaming.md#event-hub), `config.eventHub`. */
export const eventHubSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    SERVICE_NAME: APP_IDENTITY.SERVICE_NAME,
    /** Seconds a published event stays replayable for a client reconnecting with `Last-Event-ID`. */
    SSE_REPLAY_WINDOW_SECONDS: envInt(1, 24 * 3600).default(300),
    /** At most this many events per topic stay replayable (the oldest leave first); a client that missed more gets a `reset`. */
    SSE_REPLAY_MAX_EVENTS: envInt(1, 100_000).default(1000),
    /** Prefix of the hub's Redis streams. Default `<SERVICE_NAME>:<NODE_ENV>:events:`. */
    SSE_HUB_KEY_PREFIX: envKeyPrefix().optional(),
    /** Bound on one publish or replay read against Redis, in seconds (decimals allowed). */
    SSE_HUB_REDIS_TIMEOUT_SECONDS: envNumber(0.01, 10).default(1),
  })
  .transform((env) => ({
    replayWindowSeconds: env.SSE_REPLAY_WINDOW_SECONDS,
    replayMaxEvents: env.SSE_REPLAY_MAX_EVENTS,
    // Per service and environment, and distinct from the cache's and the rate limiter's prefixes.
    keyPrefix: env.SSE_HUB_KEY_PREFIX ?? `${env.SERVICE_NAME}:${env.NODE_ENV}:events:`,
    redisTimeoutSeconds: env.SSE_HUB_REDIS_TIMEOUT_SECONDS,
  }));

declare module '../../config/app-config' {
  interface AppConfig {
    eventHub: SliceOf<typeof eventHubSettings>;
  }
}
