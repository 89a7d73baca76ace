/** A cache operation (memory or Redis) did not settle within CACHE_OPERATION_TIMEOUT_SECONDS. */
export class CacheTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`cache operation timed out after ${timeoutMs} ms`);
    this.name = 'CacheTimeoutError';
  }
}
