import { randomUUID } from 'node:crypto';
import { Backoffs } from '../bullmq-standalone';
import { isUnrecoverable } from '../unrecoverable';
import type { AttemptHandler, FailedJob, JobState } from '../jobs.engine';
import { backoffOf, type QueueSettings } from '../queue-settings';

interface StoredJob {
  id: string;
  data: unknown;
  attemptsMade: number;
  state: JobState | 'completed';
  failedReason?: string;
  failedAt?: Date;
  timer?: NodeJS.Timeout;
}

/**
 * One queue of the in-process engine: BullMQ's semantics in memory (delayed
 * jobs, attempts with BullMQ's exponential back-off and jitter, concurrency,
 * rate limit, a kept failed set), nothing durable.
 */
export class InProcessQueue {
  private readonly jobs = new Map<string, StoredJob>();
  private readonly waiting: string[] = [];
  private readonly completed: string[] = [];
  private readonly failedIds: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly starts: number[] = [];
  private handler?: AttemptHandler;
  private pumpTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private settings: QueueSettings,
    /** Runs a dispatch outside the async context of whoever added the job (a request). */
    private readonly detached: <T>(fn: () => T) => T,
  ) {}

  add(data: unknown, options: { delaySeconds?: number; jobId?: string }, settings: QueueSettings): string {
    this.settings = settings;
    const id = options.jobId ?? randomUUID();
    if (this.jobs.has(id)) return id;
    const job: StoredJob = { id, data, attemptsMade: 0, state: 'waiting' };
    this.jobs.set(id, job);
    if (options.delaySeconds && options.delaySeconds > 0) this.delay(job, options.delaySeconds * 1000);
    else this.enqueue(job);
    return id;
  }

  work(settings: QueueSettings, handler: AttemptHandler): void {
    this.settings = settings;
    this.handler = handler;
    this.pump();
  }

  failed(limit: number): FailedJob[] {
    return [...this.failedIds]
      .reverse()
      .slice(0, limit)
      .map((id) => this.jobs.get(id)!)
      .map((job) => ({
        id: job.id,
        payload: (job.data as { payload?: Record<string, unknown> }).payload ?? {},
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason ?? '',
        failedAt: job.failedAt,
      }));
  }

  retry(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (job?.state !== 'failed') return false;
    this.failedIds.splice(this.failedIds.indexOf(jobId), 1);
    job.attemptsMade = 0;
    job.failedReason = undefined;
    this.enqueue(job);
    return true;
  }

  counts(): Record<JobState, number> {
    const counts: Record<JobState, number> = { waiting: 0, active: 0, delayed: 0, failed: 0 };
    for (const job of this.jobs.values()) if (job.state !== 'completed') counts[job.state] += 1;
    return counts;
  }

  /** Stops taking jobs (delayed ones stay, and are lost at exit) and waits for the active ones. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.pumpTimer);
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    await Promise.allSettled([...this.running]);
  }

  private enqueue(job: StoredJob): void {
    job.state = 'waiting';
    this.waiting.push(job.id);
    this.pump();
  }

  private delay(job: StoredJob, delayMs: number): void {
    job.state = 'delayed';
    job.timer = setTimeout(() => this.detached(() => this.enqueue(job)), delayMs);
    job.timer.unref();
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler || this.closed) return;
    while (this.waiting.length > 0 && this.running.size < this.settings.concurrency) {
      const waitMs = this.rateLimitWait();
      if (waitMs > 0) {
        clearTimeout(this.pumpTimer);
        this.pumpTimer = setTimeout(() => this.detached(() => this.pump()), waitMs);
        this.pumpTimer.unref();
        return;
      }
      const job = this.jobs.get(this.waiting.shift()!)!;
      const run = this.detached(() => this.attempt(job, handler));
      this.running.add(run);
      void run.finally(() => {
        this.running.delete(run);
        this.pump();
      });
    }
  }

  /** Milliseconds until the rate limit allows another start (0: now). */
  private rateLimitWait(): number {
    const limit = this.settings.rateLimit;
    if (!limit) return 0;
    const now = Date.now();
    const windowMs = limit.durationSeconds * 1000;
    while (this.starts.length > 0 && this.starts[0]! <= now - windowMs) this.starts.shift();
    if (this.starts.length < limit.max) {
      this.starts.push(now);
      return 0;
    }
    return this.starts[0]! + windowMs - now;
  }

  private async attempt(job: StoredJob, handler: AttemptHandler): Promise<void> {
    job.state = 'active';
    try {
      await handler({ id: job.id, data: job.data, attemptsMade: job.attemptsMade, attempts: this.settings.attempts });
      job.attemptsMade += 1;
      this.complete(job);
    } catch (error) {
      job.attemptsMade += 1;
      await this.fail(job, error instanceof Error ? error : new Error(String(error)));
    }
  }

  private complete(job: StoredJob): void {
    job.state = 'completed';
    this.completed.push(job.id);
    while (this.completed.length > this.settings.keepCompleted) this.jobs.delete(this.completed.shift()!);
  }

  private async fail(job: StoredJob, error: Error): Promise<void> {
    job.failedReason = error.message;
    if (job.attemptsMade < this.settings.attempts && !isUnrecoverable(error)) {
      const delayMs = await Backoffs.calculate(backoffOf(this.settings), job.attemptsMade, error, job as never);
      this.delay(job, delayMs ?? 0);
      return;
    }
    job.state = 'failed';
    job.failedAt = new Date();
    this.failedIds.push(job.id);
    const keep = this.settings.keepFailed;
    while (keep !== undefined && this.failedIds.length > keep) this.jobs.delete(this.failedIds.shift()!);
  }
}
