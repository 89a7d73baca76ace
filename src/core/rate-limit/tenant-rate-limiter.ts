import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { FixedWindowMemoryStorage } from './fixed-window-memory.storage';
import type { RateLimitRecord } from './rate-limit-record';
import type { RateLimitStorage } from './rate-limit.storage';
import { RATE_LIMIT_STORAGE } from './rate-limit.tokens';
import { RateLimitStorageFailures } from './rate-limit-storage.failures';
import { RateLimitMetrics } from './rate-limit.metrics';
import { tooManyRequests } from './too-many-requests';

/** The `policy` label of refusals by the per-tenant aggregate limit (not a valid policy name, which has no `.`). */
export const TENANT_AGGREGATE_POLICY = 'tenant.aggregate';

/**
 * The per-tenant aggregate limit (`RATE_LIMIT_TENANT_LIMIT` requests per
 * `RATE_LIMIT_TENANT_WINDOW_SECONDS`, docs/rate-limiting.md): every request of
 * a tenant's subjects counts in one bucket, `tenant.aggregate:<tenant>`, in the
 * guard's storage (Redis, shared by the replicas, with REDIS_URL), so one noisy
 * tenant cannot take every replica's capacity from the others. Counted after
 * the subject's own policy admitted the request, on the routes that policy
 * applies to (`@SkipThrottle()` routes are not counted). Off with tenancy off
 * or a limit of 0; a storage failure follows RATE_LIMIT_FAIL_MODE.
 */
@Injectable()
export class TenantRateLimiter {
  constructor(
    @Inject(RATE_LIMIT_STORAGE) private readonly storage: RateLimitStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly failures: RateLimitStorageFailures,
    private readonly metrics: RateLimitMetrics,
  ) {}

  /**
   * Counts the request against its tenant's aggregate bucket: synchronous in memory, a promise on Redis.
   * @throws ProblemException 429 (with Retry-After) when the tenant's window is used up.
   */
  limit(request: FastifyRequest): true | Promise<true> {
    const tenant = request.principal?.tenant;
    const policy = this.config.rateLimit.tenant;
    if (tenant === undefined || policy === null) return true;
    const key = `${TENANT_AGGREGATE_POLICY}:${tenant}`;
    const ttl = policy.windowSeconds * 1000;
    if (this.storage instanceof FixedWindowMemoryStorage) return this.settle(this.storage.hit(key, ttl, policy.limit, 0));
    return this.storage.increment(key, ttl, policy.limit, 0).then(
      (record) => this.settle(record),
      (error: unknown) => this.failures.handle(error),
    );
  }

  private settle(record: RateLimitRecord): true {
    if (!record.isBlocked) return true;
    this.metrics.rejections.inc({ policy: TENANT_AGGREGATE_POLICY });
    throw tooManyRequests(record, 'for this tenant');
  }
}
