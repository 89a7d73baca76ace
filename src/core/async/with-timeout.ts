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
 * first. The work itself is not cancelled (a Redis command or a ping cannot
 * be); its late result is ignored, and a late rejection is not left
 * unhandled. The timer is unref'd so it never keeps the process alive.
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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(timeoutError()), timeoutMs);
    timer.unref();
  });
  // A late rejection of `work` after the timeout must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
