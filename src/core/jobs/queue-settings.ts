import type { AppConfig } from '../config/app-config';
import type { QueueDefinition } from './queue-definition';

/** A queue's settings with every default resolved (queue's own over `JOBS_*`). */
export interface QueueSettings {
  name: string;
  attempts: number;
  backoffSeconds: number;
  timeoutSeconds: number;
  concurrency: number;
  rateLimit?: { max: number; durationSeconds: number };
  keepFailed?: number;
  keepCompleted: number;
}

/** BullMQ's jitter for the exponential back-off: a delay is drawn between half and all of the computed one. */
export const BACKOFF_JITTER = 0.5;

/** Resolves a queue's settings against the `JOBS_*` defaults. */
export function queueSettings(queue: QueueDefinition, config: AppConfig): QueueSettings {
  const defaults = queue.defaults;
  return {
    name: queue.name,
    attempts: defaults.attempts ?? config.jobs.attempts,
    backoffSeconds: defaults.backoffSeconds ?? config.jobs.backoffSeconds,
    timeoutSeconds: defaults.timeoutSeconds ?? config.jobs.timeoutSeconds,
    concurrency: defaults.concurrency ?? config.jobs.concurrency,
    rateLimit: defaults.rateLimit,
    keepFailed: defaults.keepFailed,
    keepCompleted: config.jobs.keepCompleted,
  };
}

/** BullMQ's back-off option for these settings (the in-process engine computes delays with the same formula). */
export function backoffOf(settings: QueueSettings): { type: 'exponential'; delay: number; jitter: number } {
  return { type: 'exponential', delay: Math.round(settings.backoffSeconds * 1000), jitter: BACKOFF_JITTER };
}
