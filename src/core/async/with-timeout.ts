import { startDeadlineTimer } from './deadline-timer';

/** Raised by {@link withTimeout} when the bound passes first and the caller named no error of its own. */
export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Settles with `work`, or rejects with `timeoutError()` (default
 * {@link TimeoutError}) after `timeoutMs` milliseconds, whichever comes
 * first. A reply that arrived within the bound but is read late because
 * the event loop was busy still wins: the timeout is declared only after
 * pending I/O has been read ({@link startDeadlineTimer}). The work itself
 * is not cancelled (a Redis command or a ping cannot be); its late result
 * is ignored, and a late rejection is not left unhandled. The timer is unref'd so it never keeps the process alive.
 * Every bounded call to a dependency uses it (cache, idempotency store,
 * rate-limit storage, readiness checks).
 *
 * @param timeoutMs the bound, in milliseconds.
 * @param timeoutError builds the error the bound rejects with.
 */
export function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  timeoutError: () => Error = () => new TimeoutError(timeoutMs),
): Promise<T> {
  let cancel: () => void = () => undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    cancel = startDeadlineTimer(timeoutMs, () => reject(timeoutError()));
  });
  // A late rejection of `work` after the timeout must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(cancel);
}
