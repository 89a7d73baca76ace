import type { Type } from '@nestjs/common';
import type { ScheduleOptions } from './schedule-options';

/** Per-queue settings; each unset one takes its `JOBS_*` default (docs/jobs.md). */
export interface QueueDefaults {
  /** Attempts per job, the first included. Default `JOBS_ATTEMPTS` (5). */
  attempts?: number;
  /** Base of the exponential back-off, in seconds: attempt n waits about `backoffSeconds * 2^(n-1)`, with jitter. Default `JOBS_BACKOFF_SECONDS` (1). */
  backoffSeconds?: number;
  /** Time limit of one attempt, in seconds: the signal is aborted and the attempt fails (and is retried). Default `JOBS_TIMEOUT_SECONDS` (60). */
  timeoutSeconds?: number;
  /** Jobs of this queue run at once per worker process. Default `JOBS_CONCURRENCY` (5). */
  concurrency?: number;
  /** At most `max` jobs started per `durationSeconds`, per queue across the cluster (BullMQ's limiter). Default: no limit. */
  rateLimit?: { max: number; durationSeconds: number };
  /** Failed jobs (the dead-letter set) kept, the most recent first. Default: all of them. */
  keepFailed?: number;
  /**
   * Whether a completed job logs `Job completed` at info level. Default true; a queue that runs
   * every few seconds (the outbox relay) logs it at debug level instead. Failures are always logged.
   */
  logCompleted?: boolean;
}

/**
 * A queue, declared once by the feature that owns it (see {@link defineQueue}).
 * `T` is the payload's class.
 */
export interface QueueDefinition<T extends object = object> {
  /** The queue's name: unique in the service, letters, digits, `.`, `_` or `-`. */
  readonly name: string;
  /** The payload's class-validator DTO: every job's payload is validated against it when added and when processed. */
  readonly payload: Type<T>;
  /** Per-queue settings over the `JOBS_*` defaults. */
  readonly defaults: Readonly<QueueDefaults>;
  /** Schedules that add a job to this queue (also declarable with `@Schedule()` on the processor). */
  readonly schedules: readonly ScheduleOptions<T>[];
}

const QUEUE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Declares a queue: its name, its payload DTO and its defaults.
 *
 * ```ts
 * export const EmailQueue = defineQueue({ name: 'email', payload: SendEmailDto, defaults: { attempts: 8 } });
 * ```
 *
 * @throws Error when the name is not 1-64 letters, digits, `.`, `_` or `-` (BullMQ refuses `:` in queue names).
 */
export function defineQueue<T extends object>(definition: {
  name: string;
  payload: Type<T>;
  defaults?: QueueDefaults;
  schedules?: ScheduleOptions<T>[];
}): QueueDefinition<T> {
  if (!QUEUE_NAME.test(definition.name)) throw new Error(`queue name "${definition.name}" must be 1-64 letters, digits, ".", "_" or "-"`);
  return Object.freeze({
    name: definition.name,
    payload: definition.payload,
    defaults: Object.freeze({ ...definition.defaults }),
    schedules: Object.freeze([...(definition.schedules ?? [])]),
  });
}
