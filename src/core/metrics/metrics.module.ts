import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { DefaultMetrics } from './default-metrics';
import { HttpMetrics } from './http-metrics';
import { metricsControllerAt } from './metrics.controller';
import { MetricsServer } from './metrics.server';

/**
 * Prometheus metrics on the app's own registry (`METRICS_REGISTRY`, provided
 * by `MetricsRegistryModule`).
 *
 * The scrape endpoint is a controller on the main port at `METRICS_PATH`; or
 * a small listener on `METRICS_PORT`; or nothing when `METRICS_ENABLED=false`.
 * Default metrics are collected on the same registry by {@link DefaultMetrics}.
 * Why not @willsoto/nestjs-prometheus: docs/adr/0012-adapters-replaced.md.
 */
@Module({})
export class MetricsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { enabled, path, port } = config.metrics;
    const onMainPort = enabled && port === undefined;
    return {
      module: MetricsModule,
      global: true,
      controllers: onMainPort ? [metricsControllerAt(path)] : [],
      providers: [HttpMetrics, MetricsServer, ...(enabled ? [DefaultMetrics, DatabasePoolMetrics] : [])],
      exports: [HttpMetrics, MetricsServer],
    };
  }
}
