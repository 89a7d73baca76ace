import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { REDIS_CLIENT } from './redis.tokens';

/** ioredis's client class, required only when `REDIS_URL` is set (see RedisModule). */
function loadRedis(): typeof Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ioredis') as typeof import('ioredis')).default;
}

/**
 * The one Redis connection of the process (ioredis), shared by the cache,
 * the rate-limit storage and the readiness check. Absent (`null`) without
 * `REDIS_URL`.
 *
 * It connects lazily and never makes boot fail: Redis being down is a
 * degraded state the users of the client handle (fail-open rate limits,
 * uncached requests), not a crash. ioredis reconnects on its own.
 *
 * ioredis is loaded only when `REDIS_URL` is set: the zero-infrastructure
 * build never needs it, and loading it slows every cold start (see
 * docs/performance.md).
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Redis | null => {
        if (!config.redis.url) return null;
        const client = new (loadRedis())(config.redis.url, {
          lazyConnect: false,
          connectTimeout: config.redis.connectTimeoutSeconds * 1000,
          // Fail commands fast while disconnected instead of queueing them for ever.
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        });
        const logger = new Logger('Redis');
        client.on('error', (error: Error) => logger.warn(`Redis connection error: ${error.message}`));
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.client && this.client.status !== 'end') await this.client.quit().catch(() => this.client?.disconnect());
  }
}
