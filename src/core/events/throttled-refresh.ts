/**
 * Runs a refresh at most once per interval: asked again within the interval,
 * it runs once at the interval's end instead (one trailing run however many
 * asks), so the last ask is always followed by a run.
 */
export class ThrottledRefresh {
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private closed = false;

  /**
   * @param intervalMs the shortest time between the starts of two runs, in milliseconds.
   * @param refresh the work; its failures are passed to `onError`, never thrown.
   */
  constructor(
    private readonly intervalMs: number,
    private readonly refresh: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Runs now when the interval since the last run is over (resolves when done), else arms the trailing run and resolves at once. */
  ask(now = Date.now()): Promise<void> {
    if (this.closed || this.timer) return Promise.resolve();
    const waitMs = this.lastStartedAt + this.intervalMs - now;
    if (waitMs <= 0) return this.runNow();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runNow();
    }, waitMs);
    // The trailing run must not keep a process alive that has nothing else to do.
    this.timer.unref();
    return Promise.resolve();
  }

  /** Cancels the trailing run and waits for a run in progress; later asks do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  private runNow(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.lastStartedAt = Date.now();
    const current = this.refresh()
      .catch(this.onError)
      .finally(() => {
        if (this.current === current) this.current = undefined;
      });
    this.current = current;
    return current;
  }
}
