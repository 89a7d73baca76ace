import { KeyvCacheableMemory } from '@cacheable/memory';
import type { CacheConfig } from '../config/app-config';
import { type CacheBackend, createKeyv } from './cache.backend';

/**
 * The in-process store: `@cacheable/memory` bounded by `CACHE_MAX_ITEMS`
 * (least recently used evicted first). Entries are stored serialized, like in
 * Redis, so both stores behave the same (Dates round-trip, callers never share
 * a mutable object with the cache).
 */
export function createMemoryBackend(config: CacheConfig): CacheBackend {
  const store = new KeyvCacheableMemory({ lruSize: config.maxItems, useClone: false });
  const keyv = createKeyv(store, config);
  return {
    kind: 'memory',
    keyv,
    deleteByPrefix: (prefix) => {
      const cache = store.store;
      // Copy the keys first: deleting while iterating a Map is allowed but easy to get wrong.
      const matching = [...cache.keys].filter((key) => key.startsWith(prefix));
      for (const key of matching) cache.delete(key);
      return Promise.resolve(matching.length);
    },
    ping: () => Promise.resolve(),
  };
}
