import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envInt, envKeyPrefix, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Idempotency keys (docs/safe-writes.md), `config.idempotency`. */
export const idempotencySettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    SERVICE_NAME: APP_IDENTITY.SERVICE_NAME,
    /** How long a completed request's response is replayed to retries with its key, in seconds. */
    IDEMPOTENCY_TTL_SECONDS: envInt(60, 30 * 24 * 3600).default(24 * 3600),
    /** When the Redis store fails: `closed` answers 503 (no duplicate can happen), `open` runs the handler without the guarantee. */
    IDEMPOTENCY_FAIL_MODE: z.enum(['open', 'closed']).default('closed'),
    /** A Redis call slower than this counts as a store failure (then the fail mode applies); decimals allowed. */
    IDEMPOTENCY_REDIS_TIMEOUT_SECONDS: envNumber(0.01, 10).default(0.5),
    /** Records kept by the in-memory store (without REDIS_URL); the least recently used are dropped beyond it. */
    IDEMPOTENCY_MEMORY_MAX_ENTRIES: envInt(1, 10_000_000).default(10_000),
    /** Prefix of every record's key in Redis. Default `<SERVICE_NAME>:<NODE_ENV>:idempotency:`. */
    IDEMPOTENCY_KEY_PREFIX: envKeyPrefix().optional(),
  })
  .transform((env) => ({
    ttlSeconds: env.IDEMPOTENCY_TTL_SECONDS,
    failMode: env.IDEMPOTENCY_FAIL_MODE,
    redisTimeoutSeconds: env.IDEMPOTENCY_REDIS_TIMEOUT_SECONDS,
    memoryMaxEntries: env.IDEMPOTENCY_MEMORY_MAX_ENTRIES,
    keyPrefix: env.IDEMPOTENCY_KEY_PREFIX ?? `${env.SERVICE_NAME}:${env.NODE_ENV}:idempotency:`,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    idempotency: SliceOf<typeof idempotencySettings>;
  }
}
