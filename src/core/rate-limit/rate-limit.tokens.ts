/** Injection token for the {@link RateLimitStorage} the rate-limit guard uses (memory, or Redis with REDIS_URL). */
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

/** The default policy's name (the `policy` label in metrics and its bucket); `@Throttle({ default: … })` overrides it per route. */
export const DEFAULT_POLICY = 'default';
