import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';
import { RateLimitMetrics } from './rate-limit.metrics';

/** At most one warning per this many ms while the storage keeps failing. */
const WARN_INTERVAL_MS = 10_000;

/**
 * What happens when the rate-limit storage fails (RATE_LIMIT_FAIL_MODE):
 * `open` lets the request through unlimited, `closed` refuses it with a 503
 * problem. Never a 500: the storage being down is a known, degraded state.
 *
 * Each failure counts in `rate_limit_storage_errors_total`; the warning log is
 * itself rate-limited (one line per 10 s with the count since the last), so
 * an outage does not turn into a log flood.
 */
@Injectable()
export class RateLimitStorageFailures {
  private readonly logger = new Logger('RateLimit');
  private lastWarnAt = 0;
  private unreported = 0;

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
    this.unreported += 1;
    if (now - this.lastWarnAt >= WARN_INTERVAL_MS) {
      this.logger.warn(
        {
          failures: this.unreported,
          failMode: this.config.rateLimit.failMode,
          error: error instanceof Error ? error.message : String(error),
        },
        'Rate-limit storage unavailable; applying the fail mode',
      );
      this.lastWarnAt = now;
      this.unreported = 0;
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
