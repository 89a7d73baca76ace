/** Raised by {@link withTimeout} when the bound passes first. */
export class CacheTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`cache operation timed out after ${timeoutMs} ms`);
    this.name = 'CacheTimeoutError';
  }
}

/**
 * Settles with `work`, or rejects with `timeoutError()` (default
 * {@link CacheTimeoutError}) after `timeoutMs`, whichever comes first. The
 * work itself is not cancelled (a Redis command cannot be); its late result
 * is ignored. The timer is unref'd so it never keeps the process alive.
 * Every bounded Redis call uses it (the cache, the idempotency store).
 */
export function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  timeoutError: () => Error = () => new CacheTimeoutError(timeoutMs),
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
