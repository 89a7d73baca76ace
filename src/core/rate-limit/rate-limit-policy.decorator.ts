import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link RateLimitPolicy}. */
export const RATE_LIMIT_POLICY_KEY = 'chassis:rateLimitPolicy';

/**
 * Puts a route (or a controller) under a named rate-limit policy from
 * RATE_LIMIT_POLICIES (e.g. `login=5/60`) instead of the default one. All
 * routes under the same policy share one bucket per client. A name missing
 * from the configuration fails the boot.
 *
 * @example `@RateLimitPolicy('login') @Post('login') login() {…}`
 */
export const RateLimitPolicy = (name: string): ClassDecorator & MethodDecorator => SetMetadata(RATE_LIMIT_POLICY_KEY, name);
