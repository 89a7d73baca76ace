import type { Logger } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { FAILURE_WARNING_INTERVAL_MS, FailureWarning } from './failure-warning';

/**
 * Logs expected 503s — a dependency down or timed out, a request past its
 * deadline — once per interval per cause, at warn, with how many happened
 * since the previous line, and counts every one in
 * `http_dependency_unavailable_total{cause}`. An outage then costs a few log
 * lines, not a stack trace per request.
 */
export class OutageLog {
  private readonly counter: Counter<'cause'>;
  private readonly warnings = new Map<string, FailureWarning>();

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    registry: Registry,
    private readonly intervalMs = FAILURE_WARNING_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {
    const existing = registry.getSingleMetric('http_dependency_unavailable_total') as Counter<'cause'> | undefined;
    this.counter =
      existing ??
      new Counter({
        name: 'http_dependency_unavailable_total',
        help: 'Requests answered 503 because a dependency was down or timed out (or the request deadline passed), by cause.',
        labelNames: ['cause'],
        registers: [registry],
      });
  }

  /** Records one expected 503 for `cause`; logs when the cause's interval has passed. */
  record(cause: string, error: unknown, context: { requestId: unknown; correlationId?: string; status: number }): void {
    this.counter.inc({ cause });
    const occurrences = this.warningFor(cause).record();
    if (occurrences === undefined) return;
    this.logger.warn(
      { cause, occurrences, ...context, error: describe(error) },
      'Dependency unavailable: answering 503 (one line per cause per interval)',
    );
  }

  private warningFor(cause: string): FailureWarning {
    let warning = this.warnings.get(cause);
    if (warning === undefined) {
      warning = new FailureWarning(this.now, this.intervalMs);
      this.warnings.set(cause, warning);
    }
    return warning;
  }
}

function describe(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return typeof message === 'string' ? `${typeof name === 'string' ? name : 'Error'}: ${message}` : String(error);
}
