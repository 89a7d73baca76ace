/**
 * A schedule: a job added to the queue on a cron expression or every N
 * seconds. Once per cluster on Redis (a BullMQ job scheduler), however many
 * replicas run it; a failed run is retried like any job.
 */
export type ScheduleOptions<T extends object = object> = {
  /** Unique per queue; names the scheduler (changing the timing of a name replaces it). */
  name: string;
  /** The payload of each job it adds, validated like any payload. Default `{}`. */
  payload?: T;
} & (
  | {
      /** A cron expression (5 fields, or 6 with seconds first), e.g. `'0 3 * * *'`. */
      cron: string;
      /** IANA time zone the expression is read in, e.g. `'Europe/Paris'`. Default UTC. */
      timezone?: string;
      everySeconds?: never;
    }
  | {
      /** Interval between runs, in seconds (decimals allowed). */
      everySeconds: number;
      cron?: never;
      timezone?: never;
    }
);
