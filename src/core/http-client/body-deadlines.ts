/** One body being read: when it must be done (`performance.now()` milliseconds), and what to do if it is not. */
export interface Watched {
  readonly deadline: number;
  readonly expire: () => void;
}

/** How often overdue bodies are looked for, in milliseconds: a deadline is kept to within this. */
const SWEEP_MS = 50;

/**
 * The deadlines of the answer bodies being read, checked by one shared,
 * unref'd interval that runs only while some body is watched, instead of a
 * timer per call: a timer per call was the largest cost of the client
 * (docs/performance.md#outbound-http-client). A deadline is kept to within
 * {@link SWEEP_MS}.
 */
export class BodyDeadlines {
  private readonly watched = new Set<Watched>();
  private sweeper: NodeJS.Timeout | undefined;

  /** Calls `expire` once `deadline` (`performance.now()` milliseconds) has passed, unless {@link unwatch}ed first. */
  watch(deadline: number, expire: () => void): Watched {
    const entry = { deadline, expire };
    this.watched.add(entry);
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
    return entry;
  }

  /** Stops watching `entry` (its body was read, or failed). */
  unwatch(entry: Watched): void {
    this.watched.delete(entry);
  }

  private sweep(): void {
    const now = performance.now();
    for (const entry of this.watched) {
      if (entry.deadline > now) continue;
      this.watched.delete(entry);
      entry.expire();
    }
    if (this.watched.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
