import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  type Resolvable,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';
import { setRateLimitHeaders } from './rate-limit-headers';
import { RateLimitMetrics } from './rate-limit.metrics';
import { resolveRoutePolicy, type RoutePolicy } from './route-policy';
import type { ThrottlerStorageRecord } from './window-record';
import { RateLimitStorageFailures } from './storage-failures';
import { rateLimitTracker } from './tracker';

/**
 * The global rate-limit guard: @nestjs/throttler's guard, its decorators and
 * storage interface, with the chassis's policy, tracker and responses.
 *
 * It must run after the authentication guard (APP_GUARD order), so that
 * `request.principal` is set and an authenticated caller is limited by
 * subject. Requests the auth guard refuses never get here; the
 * pre-authentication limit (pre-auth-limit.ts) covers them.
 *
 * `canActivate` is replaced because the base guard reads six metadata keys
 * per request and keys buckets per route; here the policy is resolved once
 * per handler and cached, and the default policy is one bucket per client.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly policies = new WeakMap<object, RoutePolicy>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly failures: RateLimitStorageFailures,
    private readonly metrics: RateLimitMetrics,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.rateLimit.enabled || context.getType() !== 'http') return true;
    const route = this.routePolicy(context);
    if (route.skip) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // Numbers (the usual case) are used as they are: no promises, no extra microtask turns per request.
    const { limit, ttl, blockDuration } = hasStaticValues(route) ? route : await resolveValues(route, context);
    const key = `${route.bucket}:${rateLimitTracker(request)}`;

    let record: ThrottlerStorageRecord;
    try {
      record = await this.storageService.increment(key, ttl, limit, blockDuration, route.policy);
    } catch (error) {
      return this.failures.handle(error);
    }
    setRateLimitHeaders(reply, limit, Math.ceil(ttl / 1000), record);
    if (record.isBlocked) this.refuse(route.policy, record);
    return true;
  }

  private refuse(policy: string, record: ThrottlerStorageRecord): never {
    this.metrics.rejections.inc({ policy });
    throw new ProblemException({
      status: 429,
      type: PROBLEM_TYPES.rateLimited,
      detail: `Too many requests; retry after ${record.timeToBlockExpire} seconds.`,
      headers: { 'retry-after': String(record.timeToBlockExpire) },
    });
  }

  private routePolicy(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    let route = this.policies.get(handler);
    if (route === undefined) {
      route = resolveRoutePolicy(context, this.reflector, this.config.rateLimit);
      this.policies.set(handler, route);
    }
    return route;
  }
}

type Values = { limit: number; ttl: number; blockDuration: number };

function hasStaticValues(route: RoutePolicy): route is RoutePolicy & Values {
  return typeof route.limit === 'number' && typeof route.ttl === 'number' && typeof route.blockDuration === 'number';
}

/** `@Throttle()` values may be functions of the request (@nestjs/throttler's `Resolvable`). */
async function resolveValues(route: RoutePolicy, context: ExecutionContext): Promise<Values> {
  const [limit, ttl, blockDuration] = await Promise.all(
    [route.limit, route.ttl, route.blockDuration].map((value) => resolve(value, context)),
  );
  return { limit, ttl, blockDuration };
}

async function resolve(value: Resolvable<number>, context: ExecutionContext): Promise<number> {
  const resolved = typeof value === 'function' ? await value(context) : value;
  return Number(resolved);
}
