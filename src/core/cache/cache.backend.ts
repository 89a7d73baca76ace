import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type { CacheConfig } from '../config/app-config';
import { deserialize, serialize } from './json-codec';

/**
 * A cache store as the chassis uses it: a Keyv instance (get/set/delete with
 * TTL) plus the two operations Keyv does
 * not have: deleting by key prefix and a liveness probe.
 */
export interface CacheBackend {
  readonly kind: 'memory' | 'redis';
  /** Keyv with `throwOnErrors`, so store failures reach {@link AppCache}. */
  readonly keyv: Keyv;
  /**
   * Deletes every entry whose key starts with `prefix` (a key as callers
   * write it, without `CACHE_KEY_PREFIX`). `perCall` bounds each round trip.
   * @returns how many entries were deleted.
   */
  deleteByPrefix(prefix: string, perCall: <T>(work: () => Promise<T>) => Promise<T>): Promise<number>;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
}

/**
 * The Keyv both stores use: errors thrown (not swallowed) so AppCache can
 * count them, keys as given (the Redis store adds the service prefix), the
 * default TTL in milliseconds, and the Date-preserving JSON codec.
 */
export function createKeyv(store: KeyvStoreAdapter | Map<unknown, unknown>, config: CacheConfig): Keyv {
  return new Keyv({
    store,
    namespace: undefined,
    useKeyPrefix: false,
    throwOnErrors: true,
    ttl: config.ttlSeconds * 1000,
    serialize: (data) => serialize(data),
    deserialize: (text) => deserialize(text),
  });
}
