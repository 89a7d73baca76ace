/** BullMQ's `UnrecoverableError` (the job fails without retry), loaded only once a job runs (cold start). */
export function unrecoverable(message: string): Error {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return new (require('bullmq') as typeof import('bullmq')).UnrecoverableError(message);
}

/** BullMQ's own test for an error that must not be retried (by name, as its `Job.moveToFailed` does). */
export function isUnrecoverable(error: unknown): boolean {
  return error instanceof Error && error.name === 'UnrecoverableError';
}
