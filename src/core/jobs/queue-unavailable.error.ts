import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';

/** `Retry-After` of a queue-unavailable answer, in seconds (docs/errors.md). */
export const QUEUE_RETRY_AFTER_SECONDS = 5;

/**
 * A job could not be stored: the queue's Redis is not connected, or did not
 * answer within `JOBS_ADD_TIMEOUT_SECONDS`. Thrown by `JobQueue.add()` on the
 * Redis engine; inside a request it is a 503 problem with `Retry-After`
 * (an outage, logged once per interval, not a 500 with a stack).
 * After a timeout the job may still be stored once Redis answers: a caller
 * that retries passes a stable `jobId`, so the retry adds nothing twice.
 */
export class QueueUnavailableError extends ProblemException {
  constructor(readonly queue: string) {
    super({
      status: 503,
      type: PROBLEM_TYPES.queueUnavailable,
      detail: `The job could not be queued right now (queue "${queue}" unavailable); retry later.`,
      headers: { 'Retry-After': String(QUEUE_RETRY_AFTER_SECONDS) },
    });
    this.name = 'QueueUnavailableError';
  }
}
