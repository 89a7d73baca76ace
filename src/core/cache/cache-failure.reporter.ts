import type { Logger } from '@nestjs/common';
import { FailureWarning, failureMessage } from '../errors/failure-warning';
import type { CacheMetrics, CacheOperation } from './cache.metrics';

/**
 * Records a failed cache call: always counted (`cache_errors_total`), logged
 * as a warning at most once per `FAILURE_WARNING_INTERVAL_MS` with the number of
 * failures since the previous warning ({@link FailureWarning}).
 */
export class CacheFailureReporter {
  private readonly warning: FailureWarning;

  constructor(
    private readonly metrics: CacheMetrics,
    private readonly logger: Pick<Logger, 'warn'>,
    now: () => number = Date.now,
  ) {
    this.warning = new FailureWarning(now);
  }

  report(operation: CacheOperation, error: unknown): void {
    this.metrics.errors.inc({ operation });
    const failures = this.warning.record();
    if (failures === undefined) return;
    this.logger.warn({
      msg: 'Cache unavailable; continuing without it',
      operation,
      error: failureMessage(error),
      failuresSinceLastWarning: failures - 1,
    });
  }
}
