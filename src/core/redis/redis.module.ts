import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { maskUrlPassword } from '../config/masked-url';
import { OutageState } from '../errors/outage-state';
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
 * uncached requests), not a crash. ioredis reconnects on its own; an outage
 * (at boot or later) is one warning naming `REDIS_URL` (password masked), not
 * one per reconnection attempt, and its end one info line ({@link reportOutages}).
 *
 * ioredis is loaded only when `REDIS_URL` is set: the zero-infrastructure
 * build never needs it, and loading it slows every cold start (see
 * docs/performance.md).
 */
/** One warning when the connection is lost or cannot be made, one info line when it is back. */
function reportOutages(client: Redis, config: AppConfig): void {
  const logger = new Logger('Redis');
  const url = maskUrlPassword(config.redis.url ?? '');
  const effect = config.health.redisCritical
    ? 'readiness reports 503 until it connects (HEALTH_REDIS_CRITICAL=true)'
    : 'serving without it (docs/health-checks.md)';
  const outage = new OutageState(
    (error) => {
      const { code, message } = error as Error & { code?: string };
      logger.warn(
        { redis: url, cause: { code, message } },
        `Redis unreachable at REDIS_URL=${url}: ${message}; ${effect}; reconnecting (logged once until it connects)`,
      );
    },
    () => logger.log({ redis: url }, 'Redis connected again'),
  );
  client.on('error', (error: Error) => outage.down(error));
  client.on('ready', () => outage.up());
}

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
        reportOutages(client, config);
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
