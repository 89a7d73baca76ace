import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { REDIS_CLIENT } from '../redis/redis.tokens';
import { FixedWindowMemoryStorage } from './fixed-window-memory.storage';
import { PreAuthRateLimiter } from './pre-auth-rate-limiter';
import { RateLimitPolicyCheck } from './policy-check';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitMetrics } from './rate-limit.metrics';
import { DEFAULT_THROTTLER, RATE_LIMIT_STORAGE } from './rate-limit.tokens';
import { RedisRateLimitStorage } from './redis.storage';
import { RateLimitStorageFailures } from './storage-failures';

/** Redis (shared by all replicas) when REDIS_URL is set, else this process's memory. */
function createStorage(config: AppConfig, redis: Redis | null): ThrottlerStorage {
  if (redis === null) return new FixedWindowMemoryStorage();
  return new RedisRateLimitStorage(redis, config.rateLimit.redisKeyPrefix, config.rateLimit.redisTimeoutSeconds * 1000);
}

/** Provides {@link RATE_LIMIT_STORAGE} to the throttler module's factory. */
@Module({
  providers: [{ provide: RATE_LIMIT_STORAGE, inject: [APP_CONFIG, REDIS_CLIENT], useFactory: createStorage }],
  exports: [RATE_LIMIT_STORAGE],
})
class RateLimitStorageModule {}

/**
 * Rate limiting (docs/rate-limiting.md): @nestjs/throttler configured from
 * RATE_LIMIT_*, the {@link RateLimitGuard} (made global, after
 * authentication, by `GlobalGuardsModule`), and the pre-authentication
 * limiter whose hook the request pipeline adds (src/core/bootstrap/pipeline.ts).
 */
@Module({
  imports: [
    DiscoveryModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [APP_CONFIG, RATE_LIMIT_STORAGE],
      useFactory: (config: AppConfig, storage: ThrottlerStorage) => ({
        throttlers: [
          {
            name: DEFAULT_THROTTLER,
            limit: config.rateLimit.defaultPolicy.limit,
            ttl: config.rateLimit.defaultPolicy.windowSeconds * 1000,
          },
        ],
        storage,
      }),
    }),
  ],
  providers: [RateLimitMetrics, RateLimitStorageFailures, PreAuthRateLimiter, RateLimitPolicyCheck, RateLimitGuard],
  exports: [PreAuthRateLimiter, RateLimitGuard],
})
export class RateLimitModule {}
