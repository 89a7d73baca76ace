import type { Type } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { QueueDefinition } from '../queue-definition';
import { JobsEngine } from '../jobs.engine';

/** What the BullMQ engine needs from a queue's worker host. */
export interface QueueWorkerHost extends WorkerHost {
  readonly queueName: string;
  /** Adds the worker options that come from the configuration; takes effect when the workers are created (`BullRegistrar.register()`). */
  configure(options: WorkerLockOptions): void;
}

/** BullMQ's lock and stalled-job check options, in milliseconds (`JOBS_LOCK_DURATION_SECONDS`, `JOBS_STALLED_INTERVAL_SECONDS`). */
export interface WorkerLockOptions {
  lockDuration: number;
  stalledInterval: number;
}

/** Receives the hosts' jobs: the BullMQ engine. */
export interface HostedJobs {
  attachHost(host: QueueWorkerHost): void;
  process(queue: string, job: Job): Promise<void>;
}

/**
 * A @nestjs/bullmq `WorkerHost` for one queue, decorated with its `@Processor`:
 * on Redis, @nestjs/bullmq's explorer creates its BullMQ `Worker` (not
 * running: `autorun: false`; the chassis starts it only in a process whose
 * role runs workers, and sets its concurrency) and closes it at shutdown.
 * Each job goes to the engine, which runs the feature's `@JobProcessor`.
 * Created only on Redis (`JobsModule.forFeature`'s factory).
 */
export function queueWorkerHost(queue: QueueDefinition): Type<QueueWorkerHost> {
  const limit = queue.defaults.rateLimit;
  const limiter = limit ? { limiter: { max: limit.max, duration: limit.durationSeconds * 1000 } } : {};
  // @nestjs/bullmq reads the worker options from this metadata when it creates the worker, after the configuration is known.
  const processor = (locks?: WorkerLockOptions) => Processor(queue.name, { autorun: false, ...limiter, ...locks });
  @processor()
  class ChassisQueueWorkerHost extends WorkerHost implements QueueWorkerHost {
    readonly queueName = queue.name;

    constructor(private readonly engine: JobsEngine) {
      super();
      if (isHostedJobs(engine)) engine.attachHost(this);
    }

    configure(options: WorkerLockOptions): void {
      processor(options)(ChassisQueueWorkerHost);
    }

    process(job: Job): Promise<void> {
      return (this.engine as unknown as HostedJobs).process(queue.name, job);
    }
  }
  Object.defineProperty(ChassisQueueWorkerHost, 'name', { value: `${queue.name}QueueWorkerHost` });
  return ChassisQueueWorkerHost;
}

function isHostedJobs(engine: JobsEngine): engine is JobsEngine & HostedJobs {
  return typeof (engine as Partial<HostedJobs>).attachHost === 'function';
}
