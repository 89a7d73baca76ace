import { Counter, type Registry } from 'prom-client';

/** The cache operations counted in `cache_errors_total{operation}`. */
export const CACHE_OPERATIONS = ['get', 'set', 'del', 'invalidate_prefix'] as const;
export type CacheOperation = (typeof CACHE_OPERATIONS)[number];

/** The cache's Prometheus counters. Names are fixed: alert rules use them. */
export interface CacheMetrics {
  hits: Counter;
  misses: Counter;
  errors: Counter<'operation'>;
}

/** Registers the cache counters on the app's own registry (`METRICS_REGISTRY`). */
export function createCacheMetrics(registry: Registry): CacheMetrics {
  const metrics: CacheMetrics = {
    hits: new Counter({ name: 'cache_hits_total', help: 'Cache lookups that found an entry.', registers: [registry] }),
    misses: new Counter({
      name: 'cache_misses_total',
      help: 'Cache lookups that found no entry (including lookups that failed).',
      registers: [registry],
    }),
    errors: new Counter({
      name: 'cache_errors_total',
      help: 'Cache operations that failed or timed out; the request went on without the cache.',
      labelNames: ['operation'],
      registers: [registry],
    }),
  };
  // Every series exists from the start at 0, so rate() and alerts see a
  // value rather than nothing before the first error.
  for (const operation of CACHE_OPERATIONS) metrics.errors.inc({ operation }, 0);
  return metrics;
}
