/** An attempt that ran past its queue's `timeoutSeconds`; it fails and is retried like any failure. */
export class JobTimeoutError extends Error {
  constructor(queue: string, timeoutSeconds: number) {
    super(`job of queue "${queue}" timed out after ${timeoutSeconds} s`);
    this.name = 'JobTimeoutError';
  }
}
