import { Inject } from '@nestjs/common';
import { currentOrigin } from './job-envelope';
import { storedPayload, validatedPayload } from './job-payload';
import type { FailedJob, JobState, JobsEngine } from './jobs.engine';
import type { QueueDefinition } from './queue-definition';
import type { QueueSettings } from './queue-settings';

/** Options of {@link JobQueue.add}. */
export interface AddJobOptions {
  /** Run no earlier than this many seconds from now (decimals allowed). Default: at once. */
  delaySeconds?: number;
  /**
   * The job's id. A job with this id that still exists (waiting, delayed,
   * active, failed, or among the kept completed ones) is kept and nothing is
   * added: a producer that may run twice passes a stable id. Default: a new UUID.
   */
  jobId?: string;
}

/**
 * A declared queue, as producers use it: inject with
 * `@InjectJobQueue(EmailQueue) queue: JobQueue<SendEmailDto>`.
 * The queue's name, DTO and defaults are those of `defineQueue()`.
 */
export class JobQueue<T extends object> {
  constructor(
    /** The declaration. */
    readonly definition: QueueDefinition<T>,
    private readonly settings: QueueSettings,
    private readonly engine: JobsEngine,
  ) {}

  /**
   * Adds a job. The payload is validated against the queue's DTO (unknown
   * properties refused) and stored as JSON with the current request's
   * request id, correlation id and trace context, which the job's logs and
   * span carry. Resolves to the job's id once it is stored.
   *
   * @throws InvalidJobPayloadError (a 400 problem inside a request) naming every invalid field.
   */
  async add(payload: T, options: AddJobOptions = {}): Promise<string> {
    const valid = validatedPayload(this.definition, payload);
    return this.engine.add(this.settings, { payload: storedPayload(valid), origin: currentOrigin() }, options);
  }

  /**
   * The failed set (the dead-letter queue): jobs that used all their attempts,
   * or whose stored payload no longer validates, most recent first. They are
   * kept (all of them, or `keepFailed`) until retried.
   *
   * @param limit at most this many (default 100).
   */
  failed(limit = 100): Promise<FailedJob[]> {
    return this.engine.failed(this.definition.name, limit);
  }

  /**
   * Moves a failed job back to waiting, its attempts counted from zero again.
   * Resolves to false when no failed job has this id.
   */
  retry(jobId: string): Promise<boolean> {
    return this.engine.retry(this.definition.name, jobId);
  }

  /** Jobs per state: waiting, active, delayed, failed (what `queue_jobs` reports). */
  counts(): Promise<Record<JobState, number>> {
    return this.engine.counts(this.definition.name);
  }
}

/** The injection token of a queue's {@link JobQueue}. */
export function jobQueueToken(queue: QueueDefinition): string {
  return `chassis.jobQueue:${queue.name}`;
}

/**
 * Injects the {@link JobQueue} of a queue declared with `defineQueue()`; the
 * module lists `JobsModule.forFeature([queue])` in its imports.
 */
export function InjectJobQueue(queue: QueueDefinition): ParameterDecorator & PropertyDecorator {
  return Inject(jobQueueToken(queue));
}
