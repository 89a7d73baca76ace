/** Injection token for the {@link ThrottlerStorage} the rate-limit guard uses (memory, or Redis with REDIS_URL). */
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

/** The one throttler the chassis configures; `@Throttle({ default: … })` overrides it per route. */
export const DEFAULT_THROTTLER = 'default';
