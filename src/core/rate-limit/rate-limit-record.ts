/**
 * The state of a key's window after a hit. Times are in seconds, rounded up:
 * what the `RateLimit-Reset` and `Retry-After` headers carry.
 */
export interface RateLimitRecord {
  /** Hits in the current window, this one included. */
  totalHits: number;
  /** Seconds until the window ends. */
  timeToExpire: number;
  /** Over the limit: the request is refused. */
  isBlocked: boolean;
  /** Seconds until the block ends; 0 when not blocked. */
  timeToBlockExpire: number;
}

/**
 * Turns a fixed window's state into a {@link RateLimitRecord}. `isBlocked` is
 * "over the limit in this window"; the block ends with the window (which a
 * longer block duration extends), so both times are the window's.
 */
export function windowRecord(hits: number, limit: number, msLeft: number): RateLimitRecord {
  const secondsLeft = Math.max(1, Math.ceil(msLeft / 1000));
  const isBlocked = hits > limit;
  return { totalHits: hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
}
