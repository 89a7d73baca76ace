import { SlotList } from '../async/slot-list';

/** One body being read: when it must be done (`performance.now()` milliseconds), and what to do if it is not. */
export interface Watched {
  readonly deadline: number;
  readonly expire: () => void;
  /** Where {@link BodyDeadlines} holds it. */
  slot: number;
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
  // A SlotList, not a Set: one add and one delete per call (see SlotList).
  private readonly watched = new SlotList<Watched>();
  private sweeper: NodeJS.Timeout | undefined;

  /** Calls `expire` once `deadline` (`performance.now()` milliseconds) has passed, unless {@link unwatch}ed first. */
  watch(deadline: number, expire: () => void): Watched {
    const entry: Watched = { deadline, expire, slot: 0 };
    entry.slot = this.watched.add(entry);
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
    return entry;
  }

  /** Stops watching `entry` (its body was read, or failed); nothing happens if it expired already. */
  unwatch(entry: Watched): void {
    this.watched.remove(entry.slot, entry);
  }

  private sweep(): void {
    const now = performance.now();
    for (const [slot, entry] of this.watched.entries()) {
      if (entry.deadline > now) continue;
      this.watched.remove(slot, entry);
      entry.expire();
    }
    if (this.watched.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
