import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/** Keys deleted per SCAN page; UNLINK frees memory in the background. */
const SCAN_PAGE_SIZE = 500;

/**
 * A Keyv store over the chassis's shared ioredis client, so cache, rate
 * limits and health use one Redis client library and one connection
 * (docs/adr/0006-cache-store.md).
 *
 * Every key is written under `keyPrefix` (`CACHE_KEY_PREFIX`); `clear()` and
 * {@link deleteByPrefix} delete with SCAN + UNLINK inside that prefix only,
 * never FLUSHDB/FLUSHALL, so other services' and the rate limiter's keys in
 * the same database are untouched.
 *
 * It holds no connection state of its own: each call goes to the client,
 * which fails fast while disconnected (no offline queue) and reconnects by
 * itself, so a Redis that comes back is used again without a restart.
 */
export class IoRedisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts: { keyPrefix: string };
  namespace?: string;

  constructor(
    private readonly client: Redis,
    keyPrefix: string,
  ) {
    super();
    this.opts = { keyPrefix };
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const value = await this.client.get(this.redisKey(key));
    return (value ?? undefined) as StoredData<Value> | undefined;
  }

  /** @param ttl milliseconds (Keyv's unit); stored with `PX` so Redis expires the key. */
  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    const result =
      ttl !== undefined && ttl > 0
        ? await this.client.set(this.redisKey(key), value, 'PX', Math.ceil(ttl))
        : await this.client.set(this.redisKey(key), value);
    return result === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.unlink(this.redisKey(key))) > 0;
  }

  /** Deletes every key of this cache (its prefix), not the database. */
  async clear(): Promise<void> {
    await this.deleteByPrefix('');
  }

  /**
   * Deletes the keys that start with `prefix` inside this cache's prefix.
   * Terminates when SCAN's cursor returns to 0 (Redis guarantees a full
   * iteration ends). `perCall` bounds each round trip.
   * @returns how many keys were deleted.
   */
  async deleteByPrefix(prefix: string, perCall: <T>(work: () => Promise<T>) => Promise<T> = (work) => work()): Promise<number> {
    const pattern = `${escapeGlob(this.redisKey(prefix))}*`;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await perCall(() => this.client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_PAGE_SIZE));
      if (keys.length > 0) deleted += await perCall(() => this.client.unlink(...keys));
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  }

  /** The shared client belongs to RedisModule, which closes it; Keyv must not. */
  async disconnect(): Promise<void> {}

  private redisKey(key: string): string {
    return `${this.opts.keyPrefix}${key}`;
  }
}

/** Escapes Redis glob metacharacters so a prefix matches literally in SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, (char) => `\\${char}`);
}
