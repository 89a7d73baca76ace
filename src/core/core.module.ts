import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { ChassisCacheModule } from './cache/cache.module';
import type { AppConfig } from './config/app-config';
import { ChassisConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsRegistryModule } from './metrics/metrics-registry.module';
import { MetricsModule } from './metrics/metrics.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';

/** What {@link CoreModule.forRoot} needs; `createApp` supplies it. */
export interface CoreModuleOptions {
  /** The validated configuration (see `loadConfig`). */
  config: AppConfig;
  /** The app's root pino logger (see `createRootLogger`); Fastify logs through it too. */
  logger: Logger;
}

/**
 * The sealed infrastructure, in one import. Feature modules never import
 * these modules themselves: they get config, logging and the database through
 * `AppModule` importing this once.
 *
 * Layers that must wrap every route (the exception filter, validation) are
 * installed by `createApp`, not declared here, so the order is visible in one
 * place.
 */
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [
        ChassisConfigModule.forRoot(options.config),
        LoggingModule.forRoot(options.logger),
        MetricsRegistryModule,
        MetricsModule.forRoot(options.config),
        DatabaseModule,
        RedisModule,
        LifecycleModule,
        HealthModule,
        AuthModule,
        // After the authentication module (APP_GUARDs run in registration order).
        RateLimitModule,
        ChassisCacheModule,
        IdempotencyModule,
      ],
    };
  }
}
