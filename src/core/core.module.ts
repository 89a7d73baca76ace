import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { GlobalGuardsModule } from './bootstrap/global-guards.module';
import { ChassisCacheModule } from './cache/cache.module';
import { CircuitBreakerModule } from './circuit-breaker/circuit-breaker.module';
import type { AppConfig } from './config/app-config';
import { ChassisConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { HttpClientModule } from './http-client/http-client.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { JobsModule } from './jobs/jobs.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsRegistryModule } from './metrics/metrics-registry.module';
import { MetricsModule } from './metrics/metrics.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { EventHubModule } from './streaming/hub/event-hub.module';
import { StreamingModule } from './streaming/streaming.module';
import { TenancyModule } from './tenancy/tenancy.module';

/** What {@link CoreModule.forRoot} needs; `createApp` supplies it. */
export interface CoreModuleOptions {
  /** The validated configuration (see `loadConfig`). */
  config: AppConfig;
  /** The app's root pino logger (see `createRootLogger`); Fastify logs through it too. */
  logger: Logger;
}

/**
 * The sealed infrastructure, in one import. Feature modules never import
 * these modules themselves: what they inject (config, logger, metrics
 * registry, cache, health checks...) comes from modules that are global
 * themselves, imported once here through `AppModule`.
 *
 * The order a request meets the layers (hooks, global guards, pipe, filter)
 * is written in one place, src/core/bootstrap/pipeline.ts, not by the order
 * of these imports.
 */
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ChassisConfigModule.forRoot(options.config),
        LoggingModule.forRoot(options.logger),
        MetricsRegistryModule,
        MetricsModule.forRoot(options.config),
        CircuitBreakerModule,
        DatabaseModule,
        RedisModule,
        LifecycleModule,
        HealthModule,
        HttpClientModule.forRoot(options.config),
        AuthModule,
        RateLimitModule,
        GlobalGuardsModule,
        ChassisCacheModule,
        IdempotencyModule,
        TenancyModule,
        StreamingModule,
        EventHubModule,
        JobsModule.forRoot(options.config),
        EventsModule.forRoot(options.config),
      ],
    };
  }
}
