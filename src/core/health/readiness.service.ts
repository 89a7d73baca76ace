import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { LifecycleState } from '../lifecycle/lifecycle-state';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import type { CheckOutcome, HealthReport } from './health-check';
import { HealthCheckRegistry } from './health-check.registry';
import { runCheck, withoutDetails } from './run-check';

/**
 * Evaluates readiness: every registered check at once (in parallel, each with
 * its own time limit), the result reused for `HEALTH_CACHE_SECONDS` so
 * probes from several kubelets and load balancers cost one round of pings.
 * Concurrent callers share the evaluation in progress.
 *
 * A critical check down → `error` (503); only non-critical ones down →
 * `degraded` (200); draining for shutdown → `shutting_down` (503) at once,
 * without running checks.
 *
 * Also exports `health_check_status{check}` (1 up, 0 down) and
 * `health_readiness_status` (1 ready, 0 not) for alerting.
 */
@Injectable()
export class ReadinessService {
  private cached?: { report: HealthReport; expiresAt: number };
  private inFlight?: Promise<HealthReport>;
  private readonly checkStatus: Gauge<'check'>;
  private readonly readyStatus: Gauge;

  constructor(
    private readonly registry: HealthCheckRegistry,
    private readonly lifecycle: LifecycleState,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.checkStatus = new Gauge({
      name: 'health_check_status',
      help: 'Last readiness result of each check: 1 up, 0 down.',
      labelNames: ['check'],
      registers: [metrics],
    });
    this.readyStatus = new Gauge({
      name: 'health_readiness_status',
      help: 'Last readiness result: 1 ready (ok or degraded), 0 not ready.',
      registers: [metrics],
    });
  }

  /** The readiness report (see class doc); details stripped unless `HEALTH_DETAILS=true`. */
  async evaluate(): Promise<HealthReport> {
    if (this.lifecycle.draining) {
      this.readyStatus.set(0);
      return { status: 'shutting_down', checks: {} };
    }
    if (this.cached && Date.now() < this.cached.expiresAt) return this.cached.report;
    this.inFlight ??= this.runAll().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async runAll(): Promise<HealthReport> {
    const checks = this.registry.readinessChecks();
    const outcomes = await Promise.all(checks.map((check) => runCheck(check, this.config.health.checkTimeoutSeconds)));
    const entries = checks.map((check, i) => [check.name, outcomes[i]] as const);
    const report: HealthReport = {
      status: statusOf(outcomes),
      checks: Object.fromEntries(entries.map(([name, outcome]) => [name, this.config.health.details ? outcome : withoutDetails(outcome)])),
    };
    for (const [name, outcome] of entries) this.checkStatus.set({ check: name }, outcome.status === 'up' ? 1 : 0);
    this.readyStatus.set(report.status === 'error' ? 0 : 1);
    this.cached = { report, expiresAt: Date.now() + this.config.health.cacheSeconds * 1000 };
    return report;
  }
}

function statusOf(outcomes: CheckOutcome[]): HealthReport['status'] {
  if (outcomes.some((outcome) => outcome.status === 'down' && outcome.critical)) return 'error';
  if (outcomes.some((outcome) => outcome.status === 'down')) return 'degraded';
  return 'ok';
}
