import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envBoolean, envInt, envKeyPrefix, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Caching (docs/caching.md), `config.cache`. */
export const cacheSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    SERVICE_NAME: APP_IDENTITY.SERVICE_NAME,
    /** Default time to live of an entry, in seconds. */
    CACHE_TTL_SECONDS: envInt(1, 30 * 24 * 3600).default(60),
    /** Memory store only: entries kept before the least recently used is evicted. */
    CACHE_MAX_ITEMS: envInt(1, 10_000_000).default(10_000),
    /** Prefix of every cache key in Redis. Default `<SERVICE_NAME>:<NODE_ENV>:cache:`. */
    CACHE_KEY_PREFIX: envKeyPrefix().optional(),
    /** Bound on every single cache call (a Redis round trip), in seconds (decimals allowed). */
    CACHE_OPERATION_TIMEOUT_SECONDS: envNumber(0.001, 10).default(0.1),
    /** An unreachable cache makes the service not ready. */
    CACHE_CRITICAL: envBoolean().default(false),
    /** Honour a client's `Cache-Control: no-cache` in `@CacheResponse()` routes. */
    CACHE_RESPECT_NO_CACHE: envBoolean().default(true),
  })
  .transform((env) => ({
    ttlSeconds: env.CACHE_TTL_SECONDS,
    maxItems: env.CACHE_MAX_ITEMS,
    // Per service and environment, and distinct from the rate limiter's prefix.
    keyPrefix: env.CACHE_KEY_PREFIX ?? `${env.SERVICE_NAME}:${env.NODE_ENV}:cache:`,
    operationTimeoutSeconds: env.CACHE_OPERATION_TIMEOUT_SECONDS,
    critical: env.CACHE_CRITICAL,
    respectNoCache: env.CACHE_RESPECT_NO_CACHE,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    cache: SliceOf<typeof cacheSettings>;
  }
}
