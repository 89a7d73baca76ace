import type { ExecutionContext } from '@nestjs/common';
import { SetMetadata } from '@nestjs/common';

/** A value given as such, or computed from the request (sync or async). */
export type Resolvable<T extends number | string | boolean> = T | ((context: ExecutionContext) => T | Promise<T>);

/** A route's own limit: `limit` requests per `ttl` milliseconds, blocked for `blockDuration` ms once over (default: until the window ends). */
export interface ThrottleOptions {
  limit: Resolvable<number>;
  ttl: Resolvable<number>;
  blockDuration?: Resolvable<number>;
}

/** Metadata key of `@Throttle()`: the route's {@link ThrottleOptions}. */
export const THROTTLE_KEY = 'chassis:throttle';

/** Metadata key of `@SkipThrottle()`. */
export const SKIP_THROTTLE_KEY = 'chassis:skipThrottle';

/**
 * Gives a route (or a controller) its own limit, in its own bucket, instead
 * of the default policy. The same call as @nestjs/throttler's decorator: the
 * chassis has one throttler, named `default` (docs/rate-limiting.md).
 *
 * @example `@Throttle({ default: { limit: 10, ttl: seconds(60) } })`
 */
export const Throttle = (options: { default: ThrottleOptions }): ClassDecorator & MethodDecorator =>
  SetMetadata(THROTTLE_KEY, options.default);

/**
 * Exempts a route (or a controller) from rate limiting; `@SkipThrottle({ default: false })`
 * on a handler limits it again inside a skipped controller.
 */
export const SkipThrottle = (skip: { default: boolean } = { default: true }): ClassDecorator & MethodDecorator =>
  SetMetadata(SKIP_THROTTLE_KEY, skip.default);

/** `howMany` seconds, in milliseconds (the unit of `ttl` and `blockDuration`). */
export const seconds = (howMany: number): number => howMany * 1000;

/** `howMany` minutes, in milliseconds. */
export const minutes = (howMany: number): number => howMany * 60_000;

/** `howMany` hours, in milliseconds. */
export const hours = (howMany: number): number => howMany * 3_600_000;
