import type { RateLimitRecord } from './rate-limit-record';
import type { FastifyReply } from 'fastify';

/**
 * Sets the rate-limit response fields of draft-ietf-httpapi-ratelimit-headers
 * in its widely deployed separate-field form (draft 6; express-rate-limit's
 * `draft-6`, many API gateways): `RateLimit-Limit`, `RateLimit-Remaining`,
 * `RateLimit-Reset` (delta seconds) and `RateLimit-Policy` (`<limit>;w=<window seconds>`).
 * docs/rate-limiting.md explains the choice.
 */
export function setRateLimitHeaders(reply: FastifyReply, limit: number, windowSeconds: number, record: RateLimitRecord): void {
  void reply.headers({
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(Math.max(0, limit - record.totalHits)),
    'ratelimit-reset': String(record.timeToExpire),
    'ratelimit-policy': `${limit};w=${windowSeconds}`,
  });
}
