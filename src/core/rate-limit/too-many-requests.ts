import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';
import type { RateLimitRecord } from './rate-limit-record';

/** The 429 problem of a used-up window, with `Retry-After` in seconds; `whose` says which budget ran out (e.g. `for this tenant`). */
export function tooManyRequests(record: RateLimitRecord, whose?: string): ProblemException {
  const who = whose === undefined ? '' : ` ${whose}`;
  return new ProblemException({
    status: 429,
    type: PROBLEM_TYPES.rateLimited,
    detail: `Too many requests${who}; retry after ${record.timeToBlockExpire} seconds.`,
    headers: { 'retry-after': String(record.timeToBlockExpire) },
  });
}
