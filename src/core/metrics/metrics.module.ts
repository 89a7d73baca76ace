import { DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { AppConfig } from '../config/app-config';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { DefaultMetrics } from './default-metrics';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';

/**
 * Prometheus metrics on the app's own registry (`METRICS_REGISTRY`, provided
 * by `MetricsRegistryModule`).
 *
 * The scrape endpoint is `@willsoto/nestjs-prometheus`'s controller,
 * subclassed to read our registry, on the main port at `METRICS_PATH`; or a
 * small listener on `METRICS_PORT`; or nothing when `METRICS_ENABLED=false`.
 * Its default metrics are off: they would go to the global registry; ours are
 * collected by {@link DefaultMetrics}.
 */
@Module({})
export class MetricsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { enabled, path, port } = config.metrics;
    const onMainPort = enabled && port === undefined;
    return {
      module: MetricsModule,
      global: true,
      imports: onMainPort ? [PrometheusModule.register({ controller: MetricsController, path, defaultMetrics: { enabled: false } })] : [],
      providers: [HttpMetrics, MetricsServer, ...(enabled ? [DefaultMetrics, DatabasePoolMetrics] : [])],
      exports: [HttpMetrics, MetricsServer],
    };
  }
}
