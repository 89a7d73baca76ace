import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import type { CheckOutcome, HealthReport, ReadinessCheck } from './health-check';
import { HealthCheckRegistry } from './health-check.registry';
import { runCheck, withoutDetails } from './run-check';

/**
 * Evaluates the startup probe: the app has finished bootstrapping, no
 * migration is pending (they run before listen in development; in production
 * a separate job runs them, and the pod waits for it), and every warm-up task
 * has resolved. Once all are done the answer is remembered: startup happens
 * once.
 */
@Injectable()
export class StartupService implements OnApplicationBootstrap {
  private bootstrapped = false;
  private started = false;

  constructor(
    private readonly registry: HealthCheckRegistry,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
  }

  async evaluate(): Promise<HealthReport> {
    if (this.started) return { status: 'ok', checks: {} };
    const steps: ReadinessCheck[] = [
      { name: 'bootstrap', check: async () => this.assert(this.bootstrapped, 'the application is still starting') },
      { name: 'migrations', check: async () => this.assert(!(await this.dataSource.showMigrations()), 'migrations are pending') },
      ...this.registry.warmUpTasks().map(([name, work]) => ({ name: `warm-up:${name}`, check: () => settled(work) })),
    ];
    const outcomes = await Promise.all(steps.map((step) => runCheck(step, this.config.health.checkTimeoutSeconds)));
    this.started = outcomes.every((outcome) => outcome.status === 'up');
    const show = (outcome: CheckOutcome) => (this.config.health.details ? outcome : withoutDetails(outcome));
    return {
      status: this.started ? 'ok' : 'error',
      checks: Object.fromEntries(steps.map((step, i) => [step.name, show(outcomes[i])])),
    };
  }

  private assert(condition: boolean, message: string): void {
    if (!condition) throw new Error(message);
  }
}

/** Resolves if `work` already has, rejects if it failed or is still running. */
async function settled(work: Promise<unknown>): Promise<void> {
  const pending = Symbol('pending');
  const outcome = await Promise.race([work, Promise.resolve(pending)]);
  if (outcome === pending) throw new Error('still running');
}
