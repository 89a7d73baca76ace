import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { REDIS_CLIENT } from '../redis/redis.tokens';
import type { CacheBackend } from './cache.backend';
import { CACHE_BACKEND } from './cache.tokens';
import { createMemoryBackend } from './memory-cache.backend';
import { createRedisBackend } from './redis-cache.backend';

/** Chooses the store once at boot: Redis when `REDIS_URL` is set, memory otherwise. */
@Module({
  providers: [
    {
      provide: CACHE_BACKEND,
      inject: [APP_CONFIG, REDIS_CLIENT],
      useFactory: (config: AppConfig, redis: Redis | null): CacheBackend =>
        redis ? createRedisBackend(redis, config.cache) : createMemoryBackend(config.cache),
    },
  ],
  exports: [CACHE_BACKEND],
})
export class CacheBackendModule {}
