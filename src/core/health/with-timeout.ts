/** The error a check fails with when it does not settle in time. */
export class CheckTimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`timed out after ${seconds} s`);
    this.name = 'CheckTimeoutError';
  }
}

/**
 * Settles like `work`, or rejects with {@link CheckTimeoutError} after
 * `seconds`. The work itself is not cancelled (a ping cannot be); its late
 * result is ignored.
 */
export function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(seconds)), seconds * 1000);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
