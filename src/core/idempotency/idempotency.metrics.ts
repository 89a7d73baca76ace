import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';

/** Outcomes of requests to `@Idempotent()` routes that carried a key. */
export type IdempotencyOutcome = 'new' | 'replayed' | 'conflict' | 'mismatch' | 'store_unavailable';

/** The idempotency layer's Prometheus counter, on the app's own registry. */
@Injectable()
export class IdempotencyMetrics {
  /**
   * Keyed requests by outcome: `new` (the handler ran), `replayed` (the stored
   * response was sent), `conflict` (409, the first is still running),
   * `mismatch` (422, the key was reused with another payload),
   * `store_unavailable` (the store failed; IDEMPOTENCY_FAIL_MODE decided).
   */
  readonly requests: Counter<'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.requests = new Counter({
      name: 'idempotency_requests_total',
      help: 'Requests with an Idempotency-Key to idempotent routes, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }
}
