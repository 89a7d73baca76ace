/** Cancels a timer started by {@link startDeadlineTimer}; calling it after the timer fired is harmless. */
export type CancelDeadline = () => void;

/**
 * Calls `onExpired` once `timeoutMs` milliseconds have passed AND the I/O
 * that arrived by then has been read: when the timer fires, the verdict is
 * deferred to `setImmediate`, which runs after the event loop's poll phase.
 *
 * Why: the event loop runs expired timers before it reads sockets, so after
 * a stall (a long synchronous task, a GC pause) a plain timer fires before a
 * reply that arrived in time is read, and a healthy dependency is declared
 * timed out. Deferring by one loop turn lets that reply settle the work first;
 * the caller then cancels the timer. Both handles are unref'd, so the timer
 * never keeps the process alive.
 *
 * @param timeoutMs the bound, in milliseconds.
 * @returns a function that cancels the timer.
 */
export function startDeadlineTimer(timeoutMs: number, onExpired: () => void): CancelDeadline {
  let immediate: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => {
    immediate = setImmediate(onExpired);
    immediate.unref();
  }, timeoutMs);
  timer.unref();
  return () => {
    clearTimeout(timer);
    if (immediate !== undefined) clearImmediate(immediate);
  };
}
