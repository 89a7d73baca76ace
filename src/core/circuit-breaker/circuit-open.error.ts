/**
 * A call refused at once because its dependency's circuit is open (or
 * half-open with its probe under way). It stands for a failure of that
 * dependency: each call site handles it exactly as it handles the
 * dependency being down (docs/health-checks.md#circuit-breakers).
 * `code` lets the database's fault classifier recognise it (`circuit-open`).
 */
export class CircuitOpenError extends Error {
  readonly code = 'ECIRCUITOPEN';

  constructor(readonly dependency: string) {
    super(`the ${dependency} circuit is open after repeated failures; failing at once until a probe succeeds`);
    this.name = 'CircuitOpenError';
  }
}
