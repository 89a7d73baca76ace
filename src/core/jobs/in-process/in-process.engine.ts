import { AsyncResource } from 'node:async_hooks';
import type { JobEnvelope } from '../job-envelope';
import { JobsEngine, type AttemptHandler, type FailedJob, type JobState } from '../jobs.engine';
import type { QueueSettings } from '../queue-settings';
import type { ScheduleOptions } from '../schedule-options';
import type { InProcessQueue } from './in-process-queue';

/**
 * The zero-infrastructure engine (no `REDIS_URL`): the same API and the same
 * retry, back-off, timeout, concurrency and schedule semantics as BullMQ, in
 * this process's memory. Not durable: jobs waiting, delayed or active when
 * the process exits are lost, and each process has its own queues.
 */
export class InProcessEngine extends JobsEngine {
  readonly kind = 'in-process' as const;
  private readonly queues = new Map<string, InProcessQueue>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  // Created at boot: jobs run in the boot's async context, never in the request's that added them.
  private readonly context = new AsyncResource('chassis.jobs');
  private closing = false;

  add(settings: QueueSettings, envelope: JobEnvelope, options: { delaySeconds?: number; jobId?: string }): Promise<string> {
    return Promise.resolve(this.queue(settings).add(envelope, options, settings));
  }

  addMany(settings: QueueSettings, jobs: { envelope: JobEnvelope; jobId: string }[]): Promise<void> {
    const queue = this.queue(settings);
    for (const job of jobs) queue.add(job.envelope, { jobId: job.jobId }, settings);
    return Promise.resolve();
  }

  failed(queue: string, limit: number): Promise<FailedJob[]> {
    return Promise.resolve(this.queues.get(queue)?.failed(limit) ?? []);
  }

  retry(queue: string, jobId: string): Promise<boolean> {
    return Promise.resolve(this.queues.get(queue)?.retry(jobId) ?? false);
  }

  counts(queue: string): Promise<Record<JobState, number>> {
    return Promise.resolve(this.queues.get(queue)?.counts() ?? { waiting: 0, active: 0, delayed: 0, failed: 0 });
  }

  work(settings: QueueSettings, handler: AttemptHandler): Promise<void> {
    this.queue(settings).work(settings, handler);
    return Promise.resolve();
  }

  schedule(settings: QueueSettings, schedule: ScheduleOptions, envelope: JobEnvelope): Promise<void> {
    const key = `${settings.name}:${schedule.name}`;
    clearTimeout(this.timers.get(key));
    const arm = () => {
      if (this.closing) return;
      const delayMs = nextDelayMs(schedule);
      const timer = setTimeout(
        () =>
          this.context.runInAsyncScope(() => {
            this.queue(settings).add(envelope, {}, settings);
            arm();
          }),
        delayMs,
      );
      timer.unref();
      this.timers.set(key, timer);
    };
    arm();
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  async closeWorkers(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private queue(settings: QueueSettings): InProcessQueue {
    let queue = this.queues.get(settings.name);
    if (!queue) {
      // Loaded with the first queue: BullMQ (for its back-off formula) is not needed by an app without queues.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { InProcessQueue } = require('./in-process-queue') as typeof import('./in-process-queue');
      queue = new InProcessQueue(settings, (fn) => this.context.runInAsyncScope(fn));
      this.queues.set(settings.name, queue);
    }
    return queue;
  }
}

/** Milliseconds until the schedule's next run. */
function nextDelayMs(schedule: ScheduleOptions): number {
  if (schedule.everySeconds !== undefined) return schedule.everySeconds * 1000;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CronExpressionParser } = require('cron-parser') as typeof import('cron-parser');
  const next = CronExpressionParser.parse(schedule.cron, { tz: schedule.timezone ?? 'UTC' }).next();
  return Math.max(0, next.getTime() - Date.now());
}
