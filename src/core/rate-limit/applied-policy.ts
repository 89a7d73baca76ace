import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { RateLimitConfig } from '../config/app-config';
import { RATE_LIMIT_POLICY_KEY } from './rate-limit-policy.decorator';
import { SKIP_THROTTLE_KEY, THROTTLE_KEY, type Resolvable, type ThrottleOptions } from '../access/throttle.decorator';
import { DEFAULT_POLICY } from './rate-limit.tokens';

/** How one route is limited, resolved once per handler from its decorators and the configuration. */
export interface AppliedPolicy {
  skip: boolean;
  /** The `policy` label in metrics: `default`, a named policy, or `route` for a `@Throttle()` override. */
  policy: string;
  /** Bucket name, the first part of the storage key: one bucket per policy (per route for `@Throttle()`). */
  bucket: string;
  limit: Resolvable<number>;
  /** Window, ms (the throttler's unit). */
  ttl: Resolvable<number>;
  /** Block duration, ms; 0 = blocked until the window ends. */
  blockDuration: Resolvable<number>;
}

/**
 * Resolves the policy of a route:
 * - `@SkipThrottle()` → not limited;
 * - `@Throttle({ default: { limit, ttl } })` → its own bucket for this route;
 * - `@RateLimitPolicy(name)` → the named policy's shared bucket;
 * - otherwise the default policy: one bucket per client across all routes,
 *   so "100 requests per minute" means per client, not per client and route.
 */
export function resolveAppliedPolicy(context: ExecutionContext, reflector: Reflector, config: RateLimitConfig): AppliedPolicy {
  const targets = [context.getHandler(), context.getClass()];
  const read = <T>(key: string): T | undefined => reflector.getAllAndOverride<T | undefined>(key, targets);
  const skip = read<boolean>(SKIP_THROTTLE_KEY) === true;
  const own = read<ThrottleOptions>(THROTTLE_KEY);
  const limit = own?.limit;
  const ttl = own?.ttl;
  const blockDuration = own?.blockDuration ?? 0;
  const name = read<string>(RATE_LIMIT_POLICY_KEY);
  const fallback = name === undefined ? config.defaultPolicy : config.policies[name];
  if (fallback === undefined) throw new Error(`@RateLimitPolicy('${name}') names no policy in RATE_LIMIT_POLICIES`);

  if (limit !== undefined || ttl !== undefined) {
    return {
      skip,
      policy: 'route',
      bucket: `route:${context.getClass().name}.${context.getHandler().name}`,
      limit: limit ?? fallback.limit,
      ttl: ttl ?? fallback.windowSeconds * 1000,
      blockDuration,
    };
  }
  const policy = name ?? DEFAULT_POLICY;
  return { skip, policy, bucket: policy, limit: fallback.limit, ttl: fallback.windowSeconds * 1000, blockDuration };
}
