import type { Logger } from '@nestjs/common';
import type { CircuitBreakerPolicy } from 'cockatiel';
import type { AppConfig } from '../config/app-config';
import type { CircuitBreakerMetrics } from './circuit-breaker.metrics';
import { CircuitOpenError } from './circuit-open.error';

/** The dependencies that have a circuit breaker: the chassis's own, and each named upstream of the outbound HTTP client. */
export type Dependency = 'redis' | 'jwks' | 'database' | `upstream:${string}`;

/** A circuit's state as metrics and logs name it. */
export type CircuitStateName = 'closed' | 'half_open' | 'open';

/** `dependency_circuit_state` values: 0 closed, 1 half-open, 2 open (an isolated circuit counts as open). */
const GAUGE_VALUES: Record<CircuitStateName, number> = { closed: 0, half_open: 1, open: 2 };

type Cockatiel = typeof import('cockatiel');

/**
 * cockatiel, required only when a breaker is created (Redis, PostgreSQL or
 * JWKS configured): the zero-infrastructure build never needs it, and
 * loading it costs every cold start tens of milliseconds (see docs/performance.md).
 */
function loadCockatiel(): Cockatiel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cockatiel') as Cockatiel;
}

function nameOf(state: number, { CircuitState }: Cockatiel): CircuitStateName {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half_open';
  return 'open';
}

/**
 * The circuit breaker of one dependency (cockatiel's `ConsecutiveBreaker`,
 * docs/adr/0014-circuit-breaker.md): after `CIRCUIT_BREAKER_FAILURES`
 * consecutive failures (a timeout is a failure: callers put their bound
 * inside {@link execute}) the circuit opens and every call fails at once
 * with {@link CircuitOpenError}; after `CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS`
 * the next call is let through as a probe (half-open, the others still
 * fail at once): its success closes the circuit, its failure opens it again.
 *
 * Each transition sets `dependency_circuit_state{dependency}`, counts in
 * `dependency_circuit_transitions_total{dependency,state}` and logs one
 * warning; calls refused while open log nothing here (the call sites count
 * them as failures of the dependency, under their own rate-limited logs).
 * With `CIRCUIT_BREAKER_ENABLED=false` calls go straight through.
 */
export class DependencyBreaker {
  private readonly policy: CircuitBreakerPolicy | undefined;
  private readonly cockatiel: Cockatiel | undefined;

  /**
   * @param isFailure which errors count as failures of the dependency; others (a bad query) pass through without counting.
   */
  constructor(
    readonly dependency: Dependency,
    config: AppConfig['circuitBreaker'],
    private readonly metrics: CircuitBreakerMetrics,
    private readonly logger: Pick<Logger, 'warn'>,
    isFailure: (error: unknown) => boolean = () => true,
  ) {
    metrics.state.set({ dependency }, GAUGE_VALUES.closed);
    if (!config.enabled) return;
    const cockatiel = (this.cockatiel = loadCockatiel());
    this.policy = cockatiel.circuitBreaker(cockatiel.handleWhen(isFailure), {
      halfOpenAfter: config.halfOpenAfterSeconds * 1000,
      breaker: new cockatiel.ConsecutiveBreaker(config.failures),
    });
    this.policy.onStateChange((state) => this.record(nameOf(state, cockatiel)));
  }

  /** The circuit's state now (`closed` when breakers are disabled). */
  get state(): CircuitStateName {
    return this.policy && this.cockatiel ? nameOf(this.policy.state, this.cockatiel) : 'closed';
  }

  /**
   * Runs `work` unless the circuit is open.
   * @throws CircuitOpenError at once while the circuit is open (or half-open with its probe under way); otherwise whatever `work` throws.
   */
  async execute<T>(work: () => Promise<T>): Promise<T> {
    const { policy, cockatiel } = this;
    if (!policy || !cockatiel) return work();
    // cockatiel makes calls that arrive during the half-open probe wait for its outcome (up to the probe's timeout); fail them at once instead.
    if (policy.state === cockatiel.CircuitState.HalfOpen) throw new CircuitOpenError(this.dependency);
    try {
      return await policy.execute(work);
    } catch (error) {
      if (error instanceof cockatiel.BrokenCircuitError) throw new CircuitOpenError(this.dependency);
      throw error;
    }
  }

  private record(state: CircuitStateName): void {
    this.metrics.state.set({ dependency: this.dependency }, GAUGE_VALUES[state]);
    this.metrics.transitions.inc({ dependency: this.dependency, state });
    this.logger.warn({ dependency: this.dependency, state }, `Circuit breaker of ${this.dependency}: ${state.replace('_', '-')}`);
  }
}
