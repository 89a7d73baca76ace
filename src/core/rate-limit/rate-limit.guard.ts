import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { FixedWindowMemoryStorage } from './fixed-window-memory.storage';
import { setRateLimitHeaders } from './rate-limit-headers';
import { RateLimitMetrics } from './rate-limit.metrics';
import { resolveAppliedPolicy, type AppliedPolicy } from './applied-policy';
import type { RateLimitRecord } from './rate-limit-record';
import type { RateLimitStorage } from './rate-limit.storage';
import { RATE_LIMIT_STORAGE } from './rate-limit.tokens';
import type { Resolvable } from '../access/throttle.decorator';
import { RateLimitStorageFailures } from './rate-limit-storage.failures';
import { rateLimitTracker } from './rate-limit.tracker';
import { TenantRateLimiter } from './tenant-rate-limiter';
import { tooManyRequests } from './too-many-requests';

/**
 * The global rate-limit guard: the route's policy (`@RateLimitPolicy()`,
 * `@Throttle()`, `@SkipThrottle()` or the default), counted per caller in
 * the storage, with `RateLimit-*` headers and a 429 problem.
 *
 * It must run after the authentication guard (APP_GUARD order), so that
 * `request.principal` is set and an authenticated caller is limited by
 * subject. Requests the auth guard refuses never get here; the
 * pre-authentication limit (pre-auth-rate-limiter.ts) covers them.
 *
 * The policy is resolved once per handler and cached, the default policy is
 * one bucket per client, and with the in-memory storage the answer is
 * synchronous (Nest awaits a guard's answer only when it is a promise). A
 * request the route's policy admits then counts against its tenant's
 * aggregate limit ({@link TenantRateLimiter}, when configured). Why
 * this is not @nestjs/throttler's `ThrottlerGuard`: docs/adr/0012-adapters-replaced.md.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly policies = new WeakMap<object, AppliedPolicy>();

  constructor(
    @Inject(RATE_LIMIT_STORAGE) private readonly storageService: RateLimitStorage,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly failures: RateLimitStorageFailures,
    private readonly metrics: RateLimitMetrics,
    private readonly tenantLimiter: TenantRateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.config.rateLimit.enabled || context.getType() !== 'http') return true;
    const route = this.appliedPolicy(context);
    if (route.skip) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const key = `${route.bucket}:${rateLimitTracker(request)}`;
    // Numbers (the usual case) are used as they are: no promises, no extra microtask turns per request.
    if (!hasStaticValues(route)) return resolveValues(route, context).then((values) => this.limitAsync(route, key, request, reply, values));
    // In memory, counting is synchronous: the guard answers without a promise (Nest awaits only promises).
    if (this.storageService instanceof FixedWindowMemoryStorage) {
      const { limit, ttl, blockDuration } = route;
      this.settle(route.policy, reply, limit, ttl, this.storageService.hit(key, ttl, limit, blockDuration));
      return this.tenantLimiter.limit(request);
    }
    return this.limitAsync(route, key, request, reply, route);
  }

  /** Counts the hit in a storage that answers asynchronously (Redis); a storage failure is handled by the failure policy. */
  private limitAsync(
    route: AppliedPolicy,
    key: string,
    request: FastifyRequest,
    reply: FastifyReply,
    { limit, ttl, blockDuration }: Values,
  ): Promise<boolean> {
    return this.storageService.increment(key, ttl, limit, blockDuration).then(
      (record) => this.settle(route.policy, reply, limit, ttl, record) && this.tenantLimiter.limit(request),
      (error: unknown) => this.failures.handle(error),
    );
  }

  /** Sets the RateLimit-* headers; refuses with a 429 problem when the window is used up. */
  private settle(policy: string, reply: FastifyReply, limit: number, ttl: number, record: RateLimitRecord): boolean {
    setRateLimitHeaders(reply, limit, Math.ceil(ttl / 1000), record);
    if (record.isBlocked) this.refuse(policy, record);
    return true;
  }

  private refuse(policy: string, record: RateLimitRecord): never {
    this.metrics.rejections.inc({ policy });
    throw tooManyRequests(record);
  }

  private appliedPolicy(context: ExecutionContext): AppliedPolicy {
    const handler = context.getHandler();
    let route = this.policies.get(handler);
    if (route === undefined) {
      route = resolveAppliedPolicy(context, this.reflector, this.config.rateLimit);
      this.policies.set(handler, route);
    }
    return route;
  }
}

type Values = { limit: number; ttl: number; blockDuration: number };

function hasStaticValues(route: AppliedPolicy): route is AppliedPolicy & Values {
  return typeof route.limit === 'number' && typeof route.ttl === 'number' && typeof route.blockDuration === 'number';
}

/** `@Throttle()` values may be functions of the request ({@link Resolvable}). */
async function resolveValues(route: AppliedPolicy, context: ExecutionContext): Promise<Values> {
  const [limit, ttl, blockDuration] = await Promise.all(
    [route.limit, route.ttl, route.blockDuration].map((value) => resolve(value, context)),
  );
  return { limit, ttl, blockDuration };
}

async function resolve(value: Resolvable<number>, context: ExecutionContext): Promise<number> {
  const resolved = typeof value === 'function' ? await value(context) : value;
  return Number(resolved);
}
