import type { ScheduleOptions } from './schedule-options';

/** Metadata key of {@link Schedule}: the schedules declared on a processor class. */
export const JOB_SCHEDULES = Symbol('chassis.jobSchedules');

/**
 * Declares a schedule on a `@JobProcessor()` class: a job is added to its
 * queue on a cron expression (with a time zone) or every N seconds, once per
 * cluster on Redis. Repeatable: one decorator per schedule.
 *
 * ```ts
 * @Schedule({ name: 'purge', cron: '0 3 * * *', timezone: 'Europe/Paris' })
 * @JobProcessor(PurgeQueue)
 * export class PurgeProcessor { process(job: ProcessedJob<PurgeDto>) { ... } }
 * ```
 *
 * Schedules run only in processes that run workers (`PROCESS_ROLE` `all` or `worker`).
 */
export function Schedule<T extends object = object>(schedule: ScheduleOptions<T>): ClassDecorator {
  return (target) => {
    const existing = (Reflect.getMetadata(JOB_SCHEDULES, target) as ScheduleOptions[] | undefined) ?? [];
    Reflect.defineMetadata(JOB_SCHEDULES, [...existing, schedule], target);
  };
}
