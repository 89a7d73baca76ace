import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { REDIS_CLIENT } from '../redis/redis.tokens';
import { DependencyBreakers } from '../circuit-breaker/dependency-breakers';
import { FixedWindowMemoryStorage } from './fixed-window-memory.storage';
import { PreAuthRateLimiter } from './pre-auth-rate-limiter';
import { RateLimitPolicyCheck } from './rate-limit-policy.check';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitMetrics } from './rate-limit.metrics';
import type { RateLimitStorage } from './rate-limit.storage';
import { RATE_LIMIT_STORAGE } from './rate-limit.tokens';
import { RedisRateLimitStorage } from './redis-rate-limit.storage';
import { RateLimitStorageFailures } from './rate-limit-storage.failures';
import { TenantRateLimiter } from './tenant-rate-limiter';

/** Redis (shared by all replicas) when REDIS_URL is set, else this process's memory. */
function createStorage(config: AppConfig, redis: Redis | null, breakers: DependencyBreakers): RateLimitStorage {
  if (redis === null) return new FixedWindowMemoryStorage();
  const timeoutMs = config.rateLimit.redisTimeoutSeconds * 1000;
  return new RedisRateLimitStorage(redis, config.rateLimit.redisKeyPrefix, timeoutMs, breakers.for('redis'));
}

/**
 * Rate limiting (docs/rate-limiting.md): the storage chosen from the
 * configuration, the {@link RateLimitGuard} (made global, after
 * authentication, by `GlobalGuardsModule`), and the pre-authentication
 * limiter whose hook the request pipeline adds (src/core/bootstrap/pipeline.ts).
 * @nestjs/throttler was replaced by these (docs/adr/0012-adapters-replaced.md).
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: RATE_LIMIT_STORAGE, inject: [APP_CONFIG, REDIS_CLIENT, DependencyBreakers], useFactory: createStorage },
    RateLimitMetrics,
    RateLimitStorageFailures,
    PreAuthRateLimiter,
    RateLimitPolicyCheck,
    TenantRateLimiter,
    RateLimitGuard,
  ],
  exports: [PreAuthRateLimiter, RateLimitGuard],
})
export class RateLimitModule {}
