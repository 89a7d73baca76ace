/** Injection token for the {@link CacheBackend} (memory or Redis) chosen at boot. */
export const CACHE_BACKEND = Symbol('CACHE_BACKEND');

/** Metadata key holding a `@CacheResponse()` route's TTL in seconds (`null`: `CACHE_TTL_SECONDS`). */
export const CACHE_RESPONSE_TTL = 'chassis:cacheResponseTtl';
