/**
 * Injection token for the shared ioredis client, or `null` when `REDIS_URL`
 * is not set (zero-infrastructure mode: in-memory stores).
 * One client library, one connection, for cache, rate limiting and health.
 */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
