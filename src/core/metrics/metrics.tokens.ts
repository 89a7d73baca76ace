/**
 * Injection token for this app's prom-client `Registry`. Each app instance
 * gets a fresh registry (never prom-client's global one), so tests can boot
 * many apps in one process without "already registered" errors. Every
 * chassis metric (HTTP, rate limiting, cache, JWKS) registers here.
 */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** The injection token of the metric named `name` (the token @willsoto/nestjs-prometheus used, so existing providers keep resolving). */
export function metricToken(name: string): string {
  return `PROM_METRIC_${name.toUpperCase()}`;
}
