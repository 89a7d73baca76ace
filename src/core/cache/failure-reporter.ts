import type { Logger } from '@nestjs/common';
import type { CacheMetrics, CacheOperation } from './cache.metrics';

/** At most one warning per this many milliseconds: a down Redis must not flood the logs. */
export const WARNING_INTERVAL_MS = 10_000;

/**
 * Records a failed cache call: always counted (`cache_errors_total`), logged
 * as a warning at most once per {@link WARNING_INTERVAL_MS} with the number of
 * failures since the previous warning.
 */
export class CacheFailureReporter {
  private lastWarningAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly metrics: CacheMetrics,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly now: () => number = Date.now,
  ) {}

  report(operation: CacheOperation, error: unknown): void {
    this.metrics.errors.inc({ operation });
    const now = this.now();
    if (now - this.lastWarningAt < WARNING_INTERVAL_MS) {
      this.suppressed += 1;
      return;
    }
    this.logger.warn({
      msg: 'Cache unavailable; continuing without it',
      operation,
      error: error instanceof Error ? error.message : String(error),
      failuresSinceLastWarning: this.suppressed,
    });
    this.lastWarningAt = now;
    this.suppressed = 0;
  }
}
