import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics.tokens';

/** Provides the app's own prom-client {@link Registry} (see {@link METRICS_REGISTRY}). */
@Global()
@Module({
  providers: [{ provide: METRICS_REGISTRY, useFactory: () => new Registry() }],
  exports: [METRICS_REGISTRY],
})
export class MetricsRegistryModule {}
