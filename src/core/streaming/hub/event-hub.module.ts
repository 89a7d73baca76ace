import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import { DependencyBreakers } from '../../circuit-breaker/dependency-breakers';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.tokens';
import { METRICS_REGISTRY } from '../../metrics/metrics.tokens';
import { REDIS_CLIENT } from '../../redis/redis.tokens';
import { EventHub } from './event-hub';
import { createEventHubMetrics } from './event-hub.metrics';
import { MemoryEventHub } from './memory-event-hub';
import { RedisEventHub } from './redis-event-hub';

/** The hub for this configuration: Redis Streams with `REDIS_URL`, in-process without. */
function createEventHub(config: AppConfig, redis: Redis | null, breakers: DependencyBreakers, registry: Registry): EventHub {
  const metrics = createEventHubMetrics(registry);
  const bounds = { windowSeconds: config.eventHub.replayWindowSeconds, maxEvents: config.eventHub.replayMaxEvents };
  if (!redis) return new MemoryEventHub(bounds, config.tenancy.enabled, metrics);
  return new RedisEventHub(
    redis,
    {
      ...bounds,
      keyPrefix: config.eventHub.keyPrefix,
      tenancyEnabled: config.tenancy.enabled,
      timeoutMs: config.eventHub.redisTimeoutSeconds * 1000,
    },
    breakers.for('redis'),
    metrics,
    new Logger('EventHub'),
  );
}

/**
 * The event hub ({@link EventHub}) for the whole app (docs/streaming.md#event-hub).
 * Its subscriptions end at shutdown, before the Redis connection closes.
 */
@Global()
@Module({
  providers: [
    {
      provide: EventHub,
      inject: [APP_CONFIG, REDIS_CLIENT, DependencyBreakers, METRICS_REGISTRY],
      useFactory: createEventHub,
    },
  ],
  exports: [EventHub],
})
export class EventHubModule implements OnApplicationShutdown {
  constructor(@Inject(EventHub) private readonly hub: EventHub) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.hub instanceof MemoryEventHub || this.hub instanceof RedisEventHub) await this.hub.close();
  }
}
