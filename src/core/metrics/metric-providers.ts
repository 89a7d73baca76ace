import type { FactoryProvider } from '@nestjs/common';
import {
  Counter,
  Gauge,
  Histogram,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Registry,
} from 'prom-client';
import { METRICS_REGISTRY, metricToken } from './metrics.tokens';

type Without<T> = Omit<T, 'registers'>;

/**
 * Providers for a feature's own metrics, registered on the app's registry
 * (never prom-client's global one). Inject them with `@InjectMetric(name)`.
 *
 * ```ts
 * // orders.module.ts
 * providers: [counterProvider({ name: 'orders_placed_total', help: 'Orders placed.', labelNames: ['channel'] })]
 * // orders.service.ts
 * constructor(@InjectMetric('orders_placed_total') private readonly placed: Counter<'channel'>) {}
 * this.placed.inc({ channel: 'web' });
 * ```
 *
 * Names follow Prometheus conventions: snake_case, base units
 * (`_seconds`, `_bytes`), `_total` for counters. A name already registered in
 * this app is reused, so two modules may declare the same metric.
 */
export function counterProvider<L extends string>(config: Without<CounterConfiguration<L>>): FactoryProvider<Counter<L>> {
  return metricProvider(config.name, (registry) => new Counter({ ...config, registers: [registry] }));
}

/** A gauge provider; see {@link counterProvider}. */
export function gaugeProvider<L extends string>(config: Without<GaugeConfiguration<L>>): FactoryProvider<Gauge<L>> {
  return metricProvider(config.name, (registry) => new Gauge({ ...config, registers: [registry] }));
}

/** A histogram provider (set `buckets` in the metric's unit); see {@link counterProvider}. */
export function histogramProvider<L extends string>(config: Without<HistogramConfiguration<L>>): FactoryProvider<Histogram<L>> {
  return metricProvider(config.name, (registry) => new Histogram({ ...config, registers: [registry] }));
}

function metricProvider<M>(name: string, create: (registry: Registry) => M): FactoryProvider<M> {
  return {
    provide: metricToken(name),
    inject: [METRICS_REGISTRY],
    useFactory: (registry: Registry) => (registry.getSingleMetric(name) as M | undefined) ?? create(registry),
  };
}
