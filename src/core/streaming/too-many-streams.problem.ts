import { ProblemException } from '../errors/problem.exception';
import { PROBLEM_TYPES } from '../errors/problem-details';

/**
 * The 429 for one stream more than SSE_MAX_STREAMS_PER_PRINCIPAL. `Retry-After`
 * is the heartbeat interval: the soonest a stream of the caller's can have
 * been seen closed.
 */
export function tooManyStreamsProblem(limit: number, retryAfterSeconds: number): ProblemException {
  return new ProblemException({
    status: 429,
    type: PROBLEM_TYPES.tooManyStreams,
    detail: `At most ${limit} open streams per caller; close one first.`,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
}
