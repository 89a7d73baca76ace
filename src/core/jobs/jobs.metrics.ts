import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { JOB_STATES, JobsEngine } from './jobs.engine';
import { JobsRegistry } from './jobs.registry';

/** How an attempt ended: `completed`, `retried` (failed, another attempt follows) or `failed` (for good). */
export type AttemptStatus = 'completed' | 'retried' | 'failed';

/**
 * The jobs' metrics (docs/jobs.md):
 *
 * - `queue_jobs{queue,state}`: jobs waiting, active, delayed and failed, read from the engine at scrape time;
 * - `queue_job_duration_seconds{queue,status}`: one attempt's duration (`completed` or `failed`);
 * - `queue_jobs_processed_total{queue,status}`: attempts ended, by {@link AttemptStatus}.
 *
 * On Redis `queue_jobs` counts the whole cluster's jobs (every replica reports the same numbers).
 */
@Injectable()
export class JobsMetrics {
  private readonly duration: Histogram<'queue' | 'status'>;
  private readonly processed: Counter<'queue' | 'status'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, engine: JobsEngine, queues: JobsRegistry) {
    this.duration = new Histogram({
      name: 'queue_job_duration_seconds',
      help: 'Duration of one job attempt, in seconds.',
      labelNames: ['queue', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.processed = new Counter({
      name: 'queue_jobs_processed_total',
      help: 'Job attempts ended, by outcome: completed, retried (another attempt follows), failed (for good).',
      labelNames: ['queue', 'status'],
      registers: [registry],
    });
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in each queue, by state.',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        await Promise.all(
          queues.all().map(async (queue) => {
            // A store that does not answer leaves this queue out of the scrape rather than failing it.
            const counts = await engine.counts(queue.name).catch(() => undefined);
            if (counts) for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state]);
          }),
        );
      },
    });
  }

  /** Records an ended attempt. */
  attemptEnded(queue: string, status: AttemptStatus, seconds: number): void {
    this.duration.observe({ queue, status: status === 'completed' ? 'completed' : 'failed' }, seconds);
    this.processed.inc({ queue, status });
  }
}
