import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * A readiness check: one dependency the service needs to serve traffic.
 * Register it with `HealthCheckRegistry.addReadinessCheck` (see
 * docs/health-checks.md).
 */
export interface ReadinessCheck {
  /** The key in the probe body, e.g. `database`, `redis`, `jwks`, `cache`. Unique. */
  name: string;
  /**
   * `true` (default): failing makes the service not ready (503), so traffic
   * goes elsewhere. `false`: failing reports `degraded`, still ready (200) —
   * for dependencies the service can serve without (a cache).
   */
  critical?: boolean;
  /** Time limit in seconds; default `HEALTH_CHECK_TIMEOUT_SECONDS`. */
  timeoutSeconds?: number;
  /**
   * Resolves when the dependency is usable; rejects (or resolves a Terminus
   * result whose status is `down`) when it is not. Any Terminus indicator fits:
   * `() => http.pingCheck('payments', url)`, or a `HealthIndicatorService`
   * session's `up()`/`down()`.
   */
  check: () => PromiseLike<HealthIndicatorResult | void>;
}

/** The outcome of one check, as shown in the probe body. */
export interface CheckOutcome {
  status: 'up' | 'down';
  critical: boolean;
  /** Only with `HEALTH_DETAILS=true`. */
  durationMs?: number;
  /** Only with `HEALTH_DETAILS=true`: why it is down. */
  error?: string;
  /** Only with `HEALTH_DETAILS=true`: what the indicator reported. */
  details?: Record<string, unknown>;
}

/** A probe's body: `ok`, `degraded` (non-critical checks down, still 200), `error` or `shutting_down` (503). */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'error' | 'shutting_down';
  checks: Record<string, CheckOutcome>;
}

/** The HTTP status a report is served with. */
export function httpStatusOf(report: HealthReport): 200 | 503 {
  return report.status === 'ok' || report.status === 'degraded' ? 200 : 503;
}
