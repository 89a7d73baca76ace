import { Injectable } from '@nestjs/common';
import type { ReadinessCheck } from './health-check';

/**
 * Where any module adds what the probes check: readiness checks (a dependency
 * needed to serve) and warm-up tasks (work to finish before the first request,
 * reported by the startup probe).
 *
 * Register from `onModuleInit` so the checks exist before the app listens:
 *
 * ```ts
 * constructor(private readonly health: HealthCheckRegistry, private readonly payments: PaymentsClient) {}
 * onModuleInit() {
 *   this.health.addReadinessCheck({ name: 'payments', critical: false, check: () => this.payments.ping() });
 * }
 * ```
 */
@Injectable()
export class HealthCheckRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly warmUps = new Map<string, Promise<unknown>>();

  /** @throws Error when a check with this name is already registered. */
  addReadinessCheck(check: ReadinessCheck): void {
    if (this.checks.has(check.name)) throw new Error(`readiness check "${check.name}" is already registered`);
    this.checks.set(check.name, check);
  }

  /**
   * Adds a warm-up task: the startup probe answers 503 until `work` resolves
   * (and keeps answering 503 if it rejects, so the pod is restarted).
   *
   * @throws Error when a task with this name is already registered.
   */
  addWarmUp(name: string, work: Promise<unknown>): void {
    if (this.warmUps.has(name)) throw new Error(`warm-up "${name}" is already registered`);
    // Observed here so an early rejection is not reported as unhandled.
    work.catch(() => undefined);
    this.warmUps.set(name, work);
  }

  /** The readiness checks, in registration order. */
  readinessChecks(): ReadinessCheck[] {
    return [...this.checks.values()];
  }

  /** The warm-up tasks by name. */
  warmUpTasks(): [string, Promise<unknown>][] {
    return [...this.warmUps.entries()];
  }
}
