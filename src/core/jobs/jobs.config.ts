import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envBoolean, envInt, envKeyPrefix, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** What a process runs: `all` (HTTP and workers), `api` (HTTP, enqueues only), `worker` (workers and schedules; HTTP serves probes and metrics). */
export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;

/** Background jobs and schedules (docs/jobs.md), `config.jobs`. */
export const jobsSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    SERVICE_NAME: APP_IDENTITY.SERVICE_NAME,
    /** What this process runs: `all`, `api` (adds jobs, runs no worker or schedule) or `worker`. */
    PROCESS_ROLE: z.enum(PROCESS_ROLES).default('all'),
    /** Default attempts per job, the first included (a queue's `defaults.attempts` overrides it). */
    JOBS_ATTEMPTS: envInt(1, 100).default(5),
    /** Default base of the exponential back-off between attempts, in seconds (decimals allowed); jitter is always on. */
    JOBS_BACKOFF_SECONDS: envNumber(0, 3600).default(1),
    /** Default time limit of one attempt, in seconds: its signal is aborted and the attempt fails. */
    JOBS_TIMEOUT_SECONDS: envNumber(0.001, 86_400).default(60),
    /** Default jobs of one queue run at once per process. */
    JOBS_CONCURRENCY: envInt(1, 1000).default(5),
    /** Completed jobs kept per queue (the most recent), for inspection; older ones are removed. Failed jobs are always kept. */
    JOBS_KEEP_COMPLETED: envInt(0, 1_000_000).default(1000),
    /**
     * How long a worker's lock on an active job lasts, in seconds (BullMQ's `lockDuration`); the worker renews it
     * at half this while the job runs. A job whose worker died (killed, or cut off by the shutdown timeout) is
     * retried by another worker once its lock has expired and a stalled-job check has seen it.
     */
    JOBS_LOCK_DURATION_SECONDS: envNumber(0.1, 3600).default(30),
    /** How often each worker looks for stalled jobs (active, lock expired) and moves them back to waiting, in seconds (BullMQ's `stalledInterval`). */
    JOBS_STALLED_INTERVAL_SECONDS: envNumber(0.1, 3600).default(30),
    /**
     * How long `add()` waits for Redis to store a job, in seconds; past it (or at once when the queue connection
     * is down) it throws `QueueUnavailableError`, a 503 with `Retry-After` inside a request.
     */
    JOBS_ADD_TIMEOUT_SECONDS: envNumber(0.01, 60).default(1),
    /** Prefix of every BullMQ key in Redis. Default `<SERVICE_NAME>:<NODE_ENV>:jobs`. */
    JOBS_KEY_PREFIX: envKeyPrefix().optional(),
    /** An unreachable queue connection makes the service not ready. Default: true when `REDIS_URL` is set. */
    JOBS_CRITICAL: envBoolean().default(true),
  })
  .transform((env) => ({
    role: env.PROCESS_ROLE,
    attempts: env.JOBS_ATTEMPTS,
    backoffSeconds: env.JOBS_BACKOFF_SECONDS,
    timeoutSeconds: env.JOBS_TIMEOUT_SECONDS,
    concurrency: env.JOBS_CONCURRENCY,
    keepCompleted: env.JOBS_KEEP_COMPLETED,
    lockDurationSeconds: env.JOBS_LOCK_DURATION_SECONDS,
    stalledIntervalSeconds: env.JOBS_STALLED_INTERVAL_SECONDS,
    addTimeoutSeconds: env.JOBS_ADD_TIMEOUT_SECONDS,
    keyPrefix: env.JOBS_KEY_PREFIX ?? `${env.SERVICE_NAME}:${env.NODE_ENV}:jobs`,
    critical: env.JOBS_CRITICAL,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    jobs: SliceOf<typeof jobsSettings>;
  }
}
