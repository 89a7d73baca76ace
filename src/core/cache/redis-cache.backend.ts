import type Redis from 'ioredis';
import type { CacheConfig } from '../config/app-config';
import { type CacheBackend, createKeyv } from './cache.backend';
import { IoRedisKeyvStore } from './ioredis-keyv.store';

/** The shared store: Redis through the chassis's ioredis client (see {@link IoRedisKeyvStore}). */
export function createRedisBackend(client: Redis, config: CacheConfig): CacheBackend {
  const store = new IoRedisKeyvStore(client, config.keyPrefix);
  const keyv = createKeyv(store, config);
  return {
    kind: 'redis',
    keyv,
    deleteByPrefix: (prefix, perCall) => store.deleteByPrefix(prefix, perCall),
    ping: async () => {
      await client.ping();
    },
  };
}
