/** The error a check fails with when it does not settle in time. */
export class CheckTimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`timed out after ${seconds} s`);
    this.name = 'CheckTimeoutError';
  }
}
