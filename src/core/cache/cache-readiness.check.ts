import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { HealthCheckRegistry } from '../health/health-check.registry';
import { AppCache } from './app-cache';

/**
 * The `cache` readiness check: a PING of the store under
 * `CACHE_OPERATION_TIMEOUT_SECONDS`. Not critical by default: the service
 * serves uncached while the cache is down, so readiness reports `degraded`
 * and stays 200. `CACHE_CRITICAL=true` makes it critical (503).
 */
@Injectable()
export class CacheReadinessCheck implements OnModuleInit {
  constructor(
    private readonly registry: HealthCheckRegistry,
    private readonly indicator: HealthIndicatorService,
    private readonly cache: AppCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.addReadinessCheck({
      name: 'cache',
      critical: this.config.cache.critical,
      check: async () => {
        const session = this.indicator.check('cache');
        const { status, detail } = await this.cache.readiness();
        return status === 'up' ? session.up(detail) : session.down(detail);
      },
    });
  }
}
