/** At most one warning per this many milliseconds: a down dependency must not flood the logs. */
export const FAILURE_WARNING_INTERVAL_MS = 10_000;

/**
 * Rate-limits the warnings of a dependency that keeps failing (Redis behind
 * the cache or the rate-limit storage, a cause of 503s in the problem filter):
 * every failure is counted, and a warning is due at most once per interval
 * (default {@link FAILURE_WARNING_INTERVAL_MS}), with the number of failures
 * since the previous one, so an outage costs a few log lines instead of one
 * per request. The caller writes the line.
 */
export class FailureWarning {
  private lastWarningAt = Number.NEGATIVE_INFINITY;
  private unreported = 0;

  /**
   * @param now the clock, in milliseconds (tests pass their own).
   * @param intervalMs the least time between two warnings, in milliseconds.
   */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly intervalMs = FAILURE_WARNING_INTERVAL_MS,
  ) {}

  /**
   * Counts one failure.
   * @returns the failures since the previous warning (this one included) when a warning is due, else undefined.
   */
  record(now = this.now()): number | undefined {
    this.unreported += 1;
    if (now - this.lastWarningAt < this.intervalMs) return undefined;
    const failures = this.unreported;
    this.lastWarningAt = now;
    this.unreported = 0;
    return failures;
  }
}

/** The message of a failure, for a log field. */
export function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
