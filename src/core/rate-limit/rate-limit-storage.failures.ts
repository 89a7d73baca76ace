import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';
import { FailureWarning, failureMessage } from '../errors/failure-warning';
import { RateLimitMetrics } from './rate-limit.metrics';

/**
 * What happens when the rate-limit storage fails (RATE_LIMIT_FAIL_MODE):
 * `open` lets the request through unlimited, `closed` refuses it with a 503
 * problem. Never a 500: the storage being down is a known, degraded state.
 *
 * Each failure counts in `rate_limit_storage_errors_total`; the warning log is
 * itself rate-limited ({@link FailureWarning}).
 */
@Injectable()
export class RateLimitStorageFailures {
  private readonly logger = new Logger('RateLimit');
  private readonly warning = new FailureWarning();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: RateLimitMetrics,
  ) {}

  /**
   * Records a storage failure and applies the fail mode.
   * @returns true (let the request through) in `open` mode.
   * @throws ProblemException 503 in `closed` mode.
   */
  handle(error: unknown, now = Date.now()): true {
    this.metrics.storageErrors.inc();
    const failures = this.warning.record(now);
    if (failures !== undefined) {
      const fields = { failures, failMode: this.config.rateLimit.failMode, error: failureMessage(error) };
      this.logger.warn(fields, 'Rate-limit storage unavailable; applying the fail mode');
    }
    if (this.config.rateLimit.failMode === 'open') return true;
    throw new ProblemException({
      status: 503,
      type: PROBLEM_TYPES.rateLimitUnavailable,
      detail: 'The service cannot check its rate limits right now; retry shortly.',
      headers: { 'retry-after': '5' },
    });
  }
}
