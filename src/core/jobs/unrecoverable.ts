import { UnrecoverableError } from './bullmq-standalone';

/** BullMQ's `UnrecoverableError`: the job fails without retry. */
export function unrecoverable(message: string): Error {
  return new UnrecoverableError(message);
}

/** BullMQ's own test for an error that must not be retried (by name, as its `Job.moveToFailed` does). */
export function isUnrecoverable(error: unknown): boolean {
  return error instanceof Error && error.name === 'UnrecoverableError';
}
