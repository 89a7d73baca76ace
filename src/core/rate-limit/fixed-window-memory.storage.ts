import type { OnApplicationShutdown } from '@nestjs/common';
import type { RateLimitStorage } from './rate-limit.storage';
import { windowRecord, type RateLimitRecord } from './rate-limit-record';

interface Window {
  hits: number;
  /** Epoch ms when the window (or the block that extended it) ends. */
  endsAt: number;
}

/** How often expired windows are dropped. */
const SWEEP_INTERVAL_MS = 30_000;

/**
 * A counter per key and fixed window, in this process's memory.
 *
 * A storage that keeps one timestamp per hit and filters them on every
 * request (as @nestjs/throttler's default storage does) costs more the more
 * hits a key has, worst for many clients behind one address; here a hit is
 * one Map lookup and an increment, whatever the count (see docs/performance.md).
 *
 * Semantics (the same as the Redis storage's Lua script):
 * - the first hit opens a window of `ttl` ms; hits count until it ends;
 * - over `limit` the key is blocked until the window ends; a `blockDuration`
 *   longer than what is left of the window extends it (once, on the hit that
 *   crosses the limit).
 */
export class FixedWindowMemoryStorage implements RateLimitStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private sweeper?: NodeJS.Timeout;

  /** {@link RateLimitStorage} contract: `ttl` and `blockDuration` in ms; the record's times in seconds. */
  increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<RateLimitRecord> {
    return Promise.resolve(this.hit(key, ttl, limit, blockDuration));
  }

  /** The synchronous form, for the pre-authentication hook (no promise per request). */
  hit(key: string, ttl: number, limit: number, blockDuration = 0, now = Date.now()): RateLimitRecord {
    this.startSweeper();
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttl };
      this.windows.set(key, window);
    }
    window.hits += 1;
    if (window.hits === limit + 1 && now + blockDuration > window.endsAt) window.endsAt = now + blockDuration;
    return windowRecord(window.hits, limit, window.endsAt - now);
  }

  /** Number of live keys (for tests and diagnostics). */
  get size(): number {
    return this.windows.size;
  }

  /** Drops windows that have ended; runs on a timer so memory follows the active clients. */
  sweep(now = Date.now()): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.windows.clear();
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }
}
