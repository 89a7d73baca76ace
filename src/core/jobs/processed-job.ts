/** One attempt of a job, as a processor receives it. */
export interface ProcessedJob<T extends object> {
  /** The job's id: the one given to `add()`, or one minted by the queue. */
  readonly id: string;
  /** The queue's name. */
  readonly queue: string;
  /** This attempt's number, 1 for the first. */
  readonly attempt: number;
  /** The payload, an instance of the queue's DTO class, validated. */
  readonly payload: T;
  /**
   * Aborted when the attempt's time limit (`timeoutSeconds`) is reached, or
   * when a shutdown has waited half of `SHUTDOWN_TIMEOUT_SECONDS` for this
   * job. Pass it to work that accepts a signal; work that ignores it is
   * abandoned at the time limit all the same (the attempt fails).
   */
  readonly signal: AbortSignal;
}
