import type Redis from 'ioredis';
import Keyv from 'keyv';
import type { CacheConfig } from '../config/app-config';
import type { CacheBackend } from './cache-backend';
import { IoRedisKeyvStore } from './ioredis-keyv-store';
import { deserialize, serialize } from './json-codec';

/** The shared store: Redis through the chassis's ioredis client (see {@link IoRedisKeyvStore}). */
export function createRedisBackend(client: Redis, config: CacheConfig): CacheBackend {
  const store = new IoRedisKeyvStore(client, config.keyPrefix);
  const keyv = new Keyv({
    store,
    namespace: undefined,
    useKeyPrefix: false,
    throwOnErrors: true,
    ttl: config.ttlSeconds * 1000,
    serialize: (data) => serialize(data),
    deserialize: (text) => deserialize(text),
  });
  return {
    kind: 'redis',
    keyv,
    deleteByPrefix: (prefix, perCall) => store.deleteByPrefix(prefix, perCall),
    ping: async () => {
      await client.ping();
    },
  };
}
