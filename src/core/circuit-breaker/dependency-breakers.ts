import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { databaseFaultCause } from '../errors/dependency-faults';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { type CircuitBreakerMetrics, createCircuitBreakerMetrics } from './circuit-breaker.metrics';
import { type Dependency, DependencyBreaker } from './dependency-breaker';

/**
 * What counts as a failure of each dependency. The database's are only the
 * faults that mean "unavailable" (refused, reset, timeouts, pool exhausted:
 * `databaseFaultCause`), never a query that is wrong or a constraint violation.
 */
const FAILURES: Record<'redis' | 'jwks' | 'database', (error: unknown) => boolean> = {
  redis: () => true,
  jwks: () => true,
  database: (error) => databaseFaultCause(error) !== undefined,
};

/**
 * One {@link DependencyBreaker} per dependency for the whole process: the
 * Redis one is shared by the cache, the rate-limit storage and the
 * idempotency store (one Redis, one circuit). A breaker is created on first
 * use, so its `dependency_circuit_state` series exists only for the
 * dependencies this configuration uses.
 */
@Injectable()
export class DependencyBreakers {
  private readonly breakers = new Map<Dependency, DependencyBreaker>();
  private readonly metrics: CircuitBreakerMetrics;
  private readonly logger = new Logger('CircuitBreaker');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.metrics = createCircuitBreakerMetrics(registry);
  }

  /** The breaker of `dependency` (created on first use). Upstreams' breakers are the HTTP client's own, with their own settings. */
  for(dependency: Exclude<Dependency, `upstream:${string}`>): DependencyBreaker {
    let breaker = this.breakers.get(dependency);
    if (breaker === undefined) {
      breaker = new DependencyBreaker(dependency, this.config.circuitBreaker, this.metrics, this.logger, FAILURES[dependency]);
      this.breakers.set(dependency, breaker);
    }
    return breaker;
  }
}
