import type { RateLimitRecord } from './rate-limit-record';

/**
 * Where the rate-limit guard counts hits: {@link FixedWindowMemoryStorage}
 * (this process) or {@link RedisRateLimitStorage} (shared by every replica,
 * with REDIS_URL). Injected as `RATE_LIMIT_STORAGE`.
 */
export interface RateLimitStorage {
  /**
   * Counts one hit for `key` in its fixed window.
   *
   * @param ttl the window, in ms.
   * @param limit hits allowed in one window.
   * @param blockDuration how long a key over the limit stays blocked, in ms; 0 = until the window ends.
   * @throws (rejects) when the storage fails; the guard then applies RATE_LIMIT_FAIL_MODE.
   */
  increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<RateLimitRecord>;
}
