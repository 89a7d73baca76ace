import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envBoolean, envInt, envList, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** `name=limit/windowSeconds` pairs, comma-separated: `login=5/60,export=10/3600`. */
const RATE_LIMIT_POLICY = /^([a-z][a-z0-9-]{0,31})=(\d{1,7})\/(\d{1,6})$/;

/** One policy: `limit` requests per `windowSeconds`, per client. */
const policy = (limit: number, windowSeconds: number) => ({ limit, windowSeconds });

/** Rate limiting (docs/rate-limiting.md), `config.rateLimit`. */
export const rateLimitSettings = z
  .object({
    SERVICE_NAME: APP_IDENTITY.SERVICE_NAME,
    RATE_LIMIT_ENABLED: envBoolean().default(true),
    /** The default policy, which every route gets unless it names another: this many requests per client per window. */
    RATE_LIMIT_LIMIT: envInt(1, 1_000_000).default(100),
    RATE_LIMIT_WINDOW_SECONDS: envInt(1, 86400).default(60),
    /** Named policies for `@RateLimitPolicy(name)`: `login=5/60,export=10/3600`. */
    RATE_LIMIT_POLICIES: envList()
      .pipe(z.array(z.string().regex(RATE_LIMIT_POLICY, { message: 'must be name=limit/windowSeconds pairs, e.g. login=5/60' })))
      .optional(),
    /** Pre-authentication limit per client address and replica (floods never reach the auth guard). 0 = off. */
    RATE_LIMIT_PRE_AUTH_LIMIT: envInt(0, 10_000_000).default(1000),
    RATE_LIMIT_PRE_AUTH_WINDOW_SECONDS: envInt(1, 3600).default(60),
    /**
     * Per-tenant aggregate limit (tenancy on): this many requests per tenant per window, all its subjects together,
     * on top of each subject's own policy. 0 = off.
     */
    RATE_LIMIT_TENANT_LIMIT: envInt(0, 100_000_000).default(0),
    RATE_LIMIT_TENANT_WINDOW_SECONDS: envInt(1, 86400).default(60),
    /** When the Redis storage fails: `open` lets requests through, `closed` answers 503. */
    RATE_LIMIT_FAIL_MODE: z.enum(['open', 'closed']).default('open'),
    /** Prefix of the counters in Redis. Default `<SERVICE_NAME>:rate-limit:`. */
    RATE_LIMIT_REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:._{}-]{1,64}$/, { message: 'must be 1-64 of A-Z a-z 0-9 : . _ - { }' })
      .optional(),
    /** A Redis call slower than this counts as a storage failure (then the fail mode applies). */
    RATE_LIMIT_REDIS_TIMEOUT_SECONDS: envNumber(0.01, 10).default(0.5),
  })
  .transform((env) => ({
    enabled: env.RATE_LIMIT_ENABLED,
    defaultPolicy: policy(env.RATE_LIMIT_LIMIT, env.RATE_LIMIT_WINDOW_SECONDS),
    policies: namedPolicies(env.RATE_LIMIT_POLICIES ?? []),
    preAuth: policy(env.RATE_LIMIT_PRE_AUTH_LIMIT, env.RATE_LIMIT_PRE_AUTH_WINDOW_SECONDS),
    /** The per-tenant aggregate limit; `null` when RATE_LIMIT_TENANT_LIMIT is 0 (off). */
    tenant: env.RATE_LIMIT_TENANT_LIMIT === 0 ? null : policy(env.RATE_LIMIT_TENANT_LIMIT, env.RATE_LIMIT_TENANT_WINDOW_SECONDS),
    failMode: env.RATE_LIMIT_FAIL_MODE,
    redisKeyPrefix: env.RATE_LIMIT_REDIS_KEY_PREFIX ?? `${env.SERVICE_NAME}:rate-limit:`,
    redisTimeoutSeconds: env.RATE_LIMIT_REDIS_TIMEOUT_SECONDS,
  }));

function namedPolicies(entries: string[]): Record<string, ReturnType<typeof policy>> {
  const policies: Record<string, ReturnType<typeof policy>> = {};
  for (const entry of entries) {
    const [name, rest] = entry.split('=');
    const [limit, windowSeconds] = rest.split('/').map(Number);
    policies[name] = policy(limit, windowSeconds);
  }
  return policies;
}

declare module '../config/app-config' {
  interface AppConfig {
    rateLimit: SliceOf<typeof rateLimitSettings>;
  }
}
