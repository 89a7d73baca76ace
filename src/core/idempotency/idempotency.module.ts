import { Global, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { REDIS_CLIENT } from '../redis/redis.tokens';
import { DependencyBreakers } from '../circuit-breaker/dependency-breakers';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyMetrics } from './idempotency.metrics';
import type { IdempotencyStore } from './idempotency.store';
import { IDEMPOTENCY_STORE } from './idempotency.tokens';
import { MemoryIdempotencyStore } from './memory-idempotency.store';
import { RedisIdempotencyStore } from './redis-idempotency.store';

/**
 * Idempotency keys for `@Idempotent()` routes: the store (Redis when
 * `REDIS_URL` is set, memory otherwise), its counter and the interceptor.
 */
@Global()
@Module({
  providers: [
    {
      provide: IDEMPOTENCY_STORE,
      inject: [APP_CONFIG, REDIS_CLIENT, DependencyBreakers],
      useFactory: (config: AppConfig, redis: Redis | null, breakers: DependencyBreakers): IdempotencyStore =>
        redis
          ? new RedisIdempotencyStore(redis, config.idempotency.redisTimeoutSeconds * 1000, breakers.for('redis'))
          : new MemoryIdempotencyStore(config.idempotency.memoryMaxEntries),
    },
    IdempotencyMetrics,
    IdempotencyInterceptor,
  ],
  exports: [IDEMPOTENCY_STORE, IdempotencyMetrics, IdempotencyInterceptor],
})
export class IdempotencyModule {}
