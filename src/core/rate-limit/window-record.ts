import type { ThrottlerStorage } from '@nestjs/throttler';

/** What a {@link ThrottlerStorage} returns for a hit (the package does not export the type from its index). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Turns a fixed window's state into the throttler's record. `isBlocked` is
 * "over the limit in this window"; the block ends with the window (which a
 * longer block duration extends), so both times are the window's.
 */
export function windowRecord(hits: number, limit: number, msLeft: number): ThrottlerStorageRecord {
  const secondsLeft = Math.max(1, Math.ceil(msLeft / 1000));
  const isBlocked = hits > limit;
  return { totalHits: hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
}
