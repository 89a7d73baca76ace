import { Logger } from '@nestjs/common';
import type { DependencyBreaker } from '../../circuit-breaker/dependency-breaker';
import { withTimeout } from '../../async/with-timeout';
import { OutageState } from '../../errors/outage-state';
import type { LazyModuleLoader } from '@nestjs/core';
import { BullModule, type BullRegistrar, getQueueToken } from '@nestjs/bullmq';
import type { Job, JobsOptions, Queue } from 'bullmq';
import type { JobEnvelope } from '../job-envelope';
import { QueueUnavailableError } from '../queue-unavailable.error';
import { JobsEngine, type AttemptHandler, type FailedJob, type JobState } from '../jobs.engine';
import { backoffOf, type QueueSettings } from '../queue-settings';
import type { ScheduleOptions } from '../schedule-options';
import { settlesWithin } from '../settles-within';
import type { HostedJobs, QueueWorkerHost, WorkerLockOptions } from './queue-worker-host';

/**
 * The Redis engine: BullMQ through @nestjs/bullmq. Queues are registered with
 * `BullModule.registerQueue()` (loaded when first used, so a feature's
 * `JobsModule.forFeature()` stays the same without Redis); workers are
 * @nestjs/bullmq's, created by its explorer for each queue's
 * {@link QueueWorkerHost} when {@link start} registers them (manual
 * registration: a `PROCESS_ROLE=api` process never creates any).
 * Schedules are BullMQ job schedulers: one per cluster.
 */
export class BullMqEngine extends JobsEngine implements HostedJobs {
  readonly kind = 'redis' as const;
  private readonly queues = new Map<string, Promise<Queue>>();
  private readonly hosts = new Map<string, QueueWorkerHost>();
  private readonly handlers = new Map<string, AttemptHandler>();
  private readonly concurrency = new Map<string, number>();
  private readonly logger = new Logger('Jobs');
  private started = false;

  constructor(
    private readonly loader: LazyModuleLoader,
    private readonly registrar: () => BullRegistrar,
    /**
     * `worker`: BullMQ's lock and stalled-check intervals; `addTimeoutMs`: how long an add waits for Redis;
     * `closeBoundMs`: how long the queues' close is waited for (half of `SHUTDOWN_TIMEOUT_SECONDS`). All in milliseconds.
     * `redisBreaker`: the Redis circuit breaker the metrics' counts go through (docs/adr/0014).
     */
    private readonly options: { worker: WorkerLockOptions; addTimeoutMs: number; closeBoundMs: number; redisBreaker: DependencyBreaker },
  ) {
    super();
  }

  attachHost(host: QueueWorkerHost): void {
    if (!this.hosts.has(host.queueName)) this.hosts.set(host.queueName, host);
  }

  async process(queue: string, job: Job): Promise<void> {
    const handler = this.handlers.get(queue);
    if (!handler) throw new Error(`no processor for queue "${queue}" in this process`);
    await handler({ id: job.id!, data: job.data, attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 });
  }

  /** @throws QueueUnavailableError when the queue connection is down, or Redis does not answer within `JOBS_ADD_TIMEOUT_SECONDS`. */
  add(settings: QueueSettings, envelope: JobEnvelope, options: { delaySeconds?: number; jobId?: string }): Promise<string> {
    return withTimeout(this.store(settings, envelope, options), this.options.addTimeoutMs, () => new QueueUnavailableError(settings.name));
  }

  private async store(settings: QueueSettings, envelope: JobEnvelope, options: { delaySeconds?: number; jobId?: string }): Promise<string> {
    const queue = await this.queue(settings.name);
    // ioredis would hold the command until it reconnects: answer at once instead, the caller retries.
    const client = await queue.getBackend().client;
    if (client.status !== 'ready') throw new QueueUnavailableError(settings.name);
    try {
      const job = await queue.add(settings.name, envelope, {
        ...jobOptions(settings),
        jobId: options.jobId,
        delay: options.delaySeconds ? Math.round(options.delaySeconds * 1000) : undefined,
      });
      return job.id!;
    } catch (error) {
      // The connection dropped under the command: an outage, not a fault of this job.
      if (client.status !== 'ready') throw new QueueUnavailableError(settings.name);
      throw error;
    }
  }

  /** @throws QueueUnavailableError as {@link add}; then none of the jobs was stored, or all were (a late answer). */
  addMany(settings: QueueSettings, jobs: { envelope: JobEnvelope; jobId: string }[]): Promise<void> {
    return withTimeout(this.storeMany(settings, jobs), this.options.addTimeoutMs, () => new QueueUnavailableError(settings.name));
  }

  private async storeMany(settings: QueueSettings, jobs: { envelope: JobEnvelope; jobId: string }[]): Promise<void> {
    const queue = await this.queue(settings.name);
    const client = await queue.getBackend().client;
    if (client.status !== 'ready') throw new QueueUnavailableError(settings.name);
    const opts = jobOptions(settings);
    try {
      // One MULTI/EXEC of the jobs' scripts: one round trip for the batch.
      await queue.addBulk(jobs.map((job) => ({ name: settings.name, data: job.envelope, opts: { ...opts, jobId: job.jobId } })));
    } catch (error) {
      if (client.status !== 'ready') throw new QueueUnavailableError(settings.name);
      throw error;
    }
  }

  async failed(queueName: string, limit: number): Promise<FailedJob[]> {
    const jobs = await (await this.queue(queueName)).getFailed(0, limit - 1);
    return jobs.map((job) => ({
      id: job.id!,
      payload: ((job.data as Partial<JobEnvelope>).payload ?? {}) as Record<string, unknown>,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason,
      failedAt: job.finishedOn ? new Date(job.finishedOn) : undefined,
    }));
  }

  async retry(queueName: string, jobId: string): Promise<boolean> {
    const job = await (await this.queue(queueName)).getJob(jobId);
    if (!job || !(await job.isFailed())) return false;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }

  /**
   * Through the Redis circuit breaker, bounded by `JOBS_ADD_TIMEOUT_SECONDS`: a hung Redis must not hold a scrape.
   * @throws QueueUnavailableError when Redis does not answer in time; the breaker's error while its circuit is open.
   */
  async counts(queueName: string): Promise<Record<JobState, number>> {
    const counts = await this.options.redisBreaker.execute(() =>
      withTimeout(
        this.queue(queueName).then((queue) => queue.getJobCounts('wait', 'active', 'delayed', 'failed')),
        this.options.addTimeoutMs,
        () => new QueueUnavailableError(queueName),
      ),
    );
    return { waiting: counts.wait ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
  }

  async work(settings: QueueSettings, handler: AttemptHandler): Promise<void> {
    await this.queue(settings.name);
    this.handlers.set(settings.name, handler);
    this.concurrency.set(settings.name, settings.concurrency);
  }

  /** Creates the workers (@nestjs/bullmq's explorer) and runs those of the queues this process processes. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const host of this.hosts.values()) host.configure(this.options.worker);
    this.registrar().register();
    for (const [name, host] of this.hosts) {
      const worker = host.worker;
      worker.on('error', (error) => this.logger.warn({ queue: name, err: error }, 'Job worker error'));
      const concurrency = this.concurrency.get(name);
      if (concurrency === undefined) {
        // A queue this process only adds to: its worker never runs.
        void worker.close();
        continue;
      }
      worker.concurrency = concurrency;
      void worker.run().catch((error: unknown) => this.logger.error({ queue: name, err: error }, 'Job worker stopped'));
    }
  }

  /**
   * Stores the schedule as a BullMQ job scheduler. Waited for at most `JOBS_ADD_TIMEOUT_SECONDS`:
   * with Redis unreachable at boot BullMQ holds the command until it connects, and boot must not
   * wait for that; the scheduler is then stored once Redis answers (a failure then is logged).
   * @throws the scheduler's error when BullMQ refuses it within that bound.
   */
  async schedule(settings: QueueSettings, schedule: ScheduleOptions, envelope: JobEnvelope): Promise<void> {
    const queue = await this.queue(settings.name);
    const repeat =
      schedule.everySeconds !== undefined
        ? { every: Math.round(schedule.everySeconds * 1000) }
        : { pattern: schedule.cron, tz: schedule.timezone ?? 'UTC' };
    const stored = queue.upsertJobScheduler(schedule.name, repeat, { name: schedule.name, data: envelope, opts: jobOptions(settings) });
    if (await settlesWithin(stored, this.options.addTimeoutMs)) {
      await stored;
      return;
    }
    const where = { queue: settings.name, schedule: schedule.name };
    this.logger.warn(where, 'Redis does not answer yet: the schedule is stored once it does; this process serves meanwhile');
    stored.then(
      () => this.logger.log(where, 'Schedule stored'),
      (error: unknown) => this.logger.error({ ...where, err: error }, 'Schedule could not be stored'),
    );
  }

  async ping(): Promise<void> {
    const first = this.queues.values().next();
    if (first.done) return;
    const client = await (await first.value).getBackend().client;
    await client.runCommand('ping', []);
  }

  async closeWorkers(): Promise<void> {
    if (!this.started) return;
    await Promise.all([...this.hosts.values()].map((host) => host.worker.close()));
  }

  /**
   * Closes the queues' connections (after the workers, before the process
   * ends). A close waits for Redis to answer `QUIT`; it is waited for at most
   * the close bound (Redis gone during the shutdown), then the process goes on.
   */
  async onApplicationShutdown(): Promise<void> {
    const queues = await this.openQueues();
    const closed = Promise.allSettled(queues.map((queue) => queue.close()));
    if (!(await settlesWithin(closed, this.options.closeBoundMs)))
      this.logger.warn('Job queues did not close in time (Redis unreachable?); not waiting');
  }

  /**
   * Closes every worker and queue at once without waiting for Redis (BullMQ's
   * forced close: the connections are dropped, no `QUIT`), for a shutdown
   * with Redis unreachable, where a normal close would wait for it for ever.
   * Active jobs are retried elsewhere once their lock expires (stalled jobs).
   * Later closes (@nestjs/bullmq's own) then resolve at once.
   */
  async forceClose(): Promise<void> {
    const queues = await this.openQueues();
    await Promise.allSettled([
      ...(this.started ? [...this.hosts.values()].map((host) => host.worker.close(true)) : []),
      ...queues.map((queue) => queue.getBackend().close(true)),
    ]);
  }

  private async openQueues(): Promise<Queue[]> {
    const queues = await Promise.allSettled([...this.queues.values()]);
    return queues.flatMap((queue) => (queue.status === 'fulfilled' ? [queue.value] : []));
  }

  /** The BullMQ queue of a declared queue, for the jobs dashboard (src/core/jobs/dashboard). */
  bullQueue(name: string): Promise<Queue> {
    return this.queue(name);
  }

  /** The queue, registered through `BullModule.registerQueue()` on first use. */
  private queue(name: string): Promise<Queue> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.loader
        .load(() => BullModule.registerQueue({ name }))
        .then((module) => module.get<Queue>(getQueueToken(name), { strict: false }))
        .then((created) => {
          // Without a listener BullMQ writes connection errors to the console, outside the chassis's log format.
          reportOutages(created, name, this.logger);
          return created;
        });
      this.queues.set(name, queue);
    }
    return queue;
  }
}

/**
 * One warning per queue when its connection fails, not one per reconnection attempt (BullMQ
 * reconnects every second or so), and one info line when it is back.
 */
function reportOutages(queue: Queue, name: string, logger: Logger): void {
  const outage = new OutageState(
    (error) => logger.warn({ queue: name, err: error }, 'Job queue connection error; reconnecting (logged once until it connects)'),
    () => logger.log({ queue: name }, 'Job queue connected again'),
  );
  queue.on('error', (error: Error) => outage.down(error));
  queue.getBackend().on('ready', () => outage.up());
}

/** BullMQ job options for a queue's settings: attempts, exponential back-off with jitter, removal (failed jobs kept). */
function jobOptions(settings: QueueSettings): JobsOptions {
  return {
    attempts: settings.attempts,
    backoff: backoffOf(settings),
    removeOnComplete: { count: settings.keepCompleted },
    removeOnFail: settings.keepFailed === undefined ? false : { count: settings.keepFailed },
  };
}
