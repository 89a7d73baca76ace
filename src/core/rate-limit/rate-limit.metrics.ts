import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';

/** The rate limiter's Prometheus counters, on the app's own registry. */
@Injectable()
export class RateLimitMetrics {
  /** Requests refused with 429, by policy (`pre-auth`, `default`, a named policy, or `route`). */
  readonly rejections: Counter<'policy'>;
  /** Storage calls that failed (Redis down or too slow); the fail mode decided the outcome. */
  readonly storageErrors: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.rejections = new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused with 429 Too Many Requests, by rate-limit policy.',
      labelNames: ['policy'],
      registers: [registry],
    });
    this.storageErrors = new Counter({
      name: 'rate_limit_storage_errors_total',
      help: 'Rate-limit storage failures (Redis unavailable or too slow); RATE_LIMIT_FAIL_MODE decided the outcome.',
      registers: [registry],
    });
  }
}
