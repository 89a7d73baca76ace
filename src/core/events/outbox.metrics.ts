import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';

/**
 * The outbox's gauges (docs/jobs.md), set by the relay after its runs in this
 * process (at most once per `OUTBOX_GAUGES_REFRESH_MS`, and once at the end of
 * that interval when a run was skipped), never by a query at scrape time (a
 * scrape must not take a database connection):
 *
 * - `outbox_pending_events`: events not yet handed to the queue;
 * - `outbox_oldest_pending_age_seconds`: age of the oldest of them, 0 when none.
 *
 * Each process reports what it saw after its own last relay run.
 */
@Injectable()
export class OutboxMetrics {
  private readonly pending: Gauge;
  private readonly oldestAge: Gauge;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.pending = new Gauge({
      name: 'outbox_pending_events',
      help: 'Domain events in the outbox not yet handed to the queue, as of the last relay run of this process.',
      registers: [registry],
    });
    this.oldestAge = new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest domain event not yet handed to the queue, in seconds (0 when none), as of the last relay run of this process.',
      registers: [registry],
    });
  }

  /** Records what a relay run saw: `pending` events, the oldest created at `oldest` (undefined when none). */
  observed(pending: number, oldest: Date | undefined, now = Date.now()): void {
    this.pending.set(pending);
    this.oldestAge.set(oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : 0);
  }
}
