import { Counter, Gauge, type Registry } from 'prom-client';

/** The circuit breakers' Prometheus series. Names are fixed: alert rules use them. */
export interface CircuitBreakerMetrics {
  /** `dependency_circuit_state{dependency}`: 0 closed, 1 half-open, 2 open. */
  state: Gauge<'dependency'>;
  /** `dependency_circuit_transitions_total{dependency,state}`: transitions into `state`. */
  transitions: Counter<'dependency' | 'state'>;
}

/** Registers the series on the app's own registry (`METRICS_REGISTRY`), or reuses them when already there. */
export function createCircuitBreakerMetrics(registry: Registry): CircuitBreakerMetrics {
  const state =
    (registry.getSingleMetric('dependency_circuit_state') as Gauge<'dependency'> | undefined) ??
    new Gauge({
      name: 'dependency_circuit_state',
      help: 'State of the circuit breaker of a dependency: 0 closed (calls go through), 1 half-open (one probe), 2 open (calls fail at once).',
      labelNames: ['dependency'],
      registers: [registry],
    });
  const transitions =
    (registry.getSingleMetric('dependency_circuit_transitions_total') as Counter<'dependency' | 'state'> | undefined) ??
    new Counter({
      name: 'dependency_circuit_transitions_total',
      help: 'Transitions of the circuit breaker of a dependency, by the state entered (closed, half_open, open).',
      labelNames: ['dependency', 'state'],
      registers: [registry],
    });
  return { state, transitions };
}
