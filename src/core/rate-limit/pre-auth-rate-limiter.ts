import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { onRequestHookHandler } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { isProbePath } from '../routing/probe-paths';
import { sendProblem, toProblemDetails } from '../errors/problem-details.filter';
import { FixedWindowMemoryStorage } from './fixed-window-memory.storage';
import { RateLimitMetrics } from './rate-limit.metrics';
import { clientAddressTracker } from './rate-limit.tracker';

/** The `policy` label of pre-authentication rejections. */
export const PRE_AUTH_POLICY = 'pre-auth';

/**
 * The pre-authentication limit: a cheap per-client-address ceiling in a
 * Fastify `onRequest` hook (RATE_LIMIT_PRE_AUTH_LIMIT per
 * RATE_LIMIT_PRE_AUTH_WINDOW_SECONDS).
 *
 * Why: the rate-limit guard runs after the authentication guard, so a flood
 * of requests with bad or missing tokens (refused with 401) would never be
 * counted. This hook counts every request — before routing to Nest, body
 * parsing, or token verification — and answers 429 from Fastify.
 *
 * It is in memory and per replica on purpose: no Redis round trip per
 * request, and a flood cannot reach (or take down) the shared storage. Set it
 * well above the default policy (many users may share one address behind a NAT).
 */
@Injectable()
export class PreAuthRateLimiter implements OnApplicationShutdown {
  private readonly storage = new FixedWindowMemoryStorage();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: RateLimitMetrics,
  ) {}

  /**
   * The `onRequest` hook; undefined when rate limiting is off or the limit is 0.
   * Probes and the metrics scrape are neither counted nor refused: a kubelet
   * or Prometheus behind one address must never be locked out (docs/rate-limiting.md).
   */
  hook(): onRequestHookHandler | undefined {
    const { enabled, preAuth } = this.config.rateLimit;
    if (!enabled || preAuth.limit === 0) return undefined;
    const windowMs = preAuth.windowSeconds * 1000;
    const metricsPath = this.config.metrics.path;
    return (request, reply, done) => {
      if (isProbePath(request.url, metricsPath)) return done();
      const record = this.storage.hit(clientAddressTracker(request), windowMs, preAuth.limit);
      if (!record.isBlocked) return done();
      this.metrics.rejections.inc({ policy: PRE_AUTH_POLICY });
      const retryAfter = String(record.timeToBlockExpire);
      const problem = {
        status: 429,
        type: PROBLEM_TYPES.rateLimited,
        detail: `Too many requests from this address; retry after ${retryAfter} seconds.`,
      };
      sendProblem(reply, toProblemDetails(problem, request), { 'retry-after': retryAfter });
    };
  }

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }
}
