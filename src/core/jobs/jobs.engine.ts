import type { JobEnvelope } from './job-envelope';
import type { QueueSettings } from './queue-settings';
import type { ScheduleOptions } from './schedule-options';

/** The states `queue_jobs{state}` reports. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One attempt as an engine hands it to its handler. */
export interface EngineJob {
  id: string;
  data: unknown;
  /** Attempts already made before this one (0 on the first). */
  attemptsMade: number;
  /** Attempts allowed in all. */
  attempts: number;
}

/** A job in the failed set (the dead-letter set), as {@link JobQueue.failed} lists it. */
export interface FailedJob {
  /** The job's id; `retry(id)` takes it. */
  id: string;
  /** The stored payload (plain JSON). */
  payload: Record<string, unknown>;
  /** Attempts made. */
  attemptsMade: number;
  /** The last attempt's error message. */
  failedReason: string;
  /** When it failed for good. */
  failedAt?: Date;
}

/** Runs one attempt; rejects to fail it. */
export type AttemptHandler = (job: EngineJob) => Promise<void>;

/** Where jobs live: BullMQ on Redis, or in this process. */
export abstract class JobsEngine {
  /** `redis` (durable, shared by the replicas) or `in-process` (lost on exit). */
  abstract readonly kind: 'redis' | 'in-process';

  /** Stores a job; resolves to its id (an existing job with the same `jobId` is kept, not replaced). */
  abstract add(settings: QueueSettings, envelope: JobEnvelope, options: { delaySeconds?: number; jobId?: string }): Promise<string>;

  /**
   * Stores several jobs of one queue, each with its own id (an existing job with the same id is kept):
   * on Redis in one round trip, all or none.
   */
  abstract addMany(settings: QueueSettings, jobs: { envelope: JobEnvelope; jobId: string }[]): Promise<void>;

  /** The failed set, most recent first, at most `limit`. */
  abstract failed(queue: string, limit: number): Promise<FailedJob[]>;

  /** Moves a failed job back to waiting with its attempts reset; false when no failed job has this id. */
  abstract retry(queue: string, jobId: string): Promise<boolean>;

  /** Jobs per state. */
  abstract counts(queue: string): Promise<Record<JobState, number>>;

  /** Starts taking jobs of a queue (once per queue). */
  abstract work(settings: QueueSettings, handler: AttemptHandler): Promise<void>;

  /** Declares a schedule (idempotent: the same name replaces it). */
  abstract schedule(settings: QueueSettings, schedule: ScheduleOptions, envelope: JobEnvelope): Promise<void>;

  /** Resolves when the engine's store answers. */
  abstract ping(): Promise<void>;

  /** Stops taking jobs and waits for the active ones to finish. */
  abstract closeWorkers(): Promise<void>;
}
