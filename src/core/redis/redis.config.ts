import { z } from 'zod';
import { envInt } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Redis (docs/caching.md), `config.redis`. */
export const redisSettings = z
  .object({
    /** `redis://[:password@]host:port[/db]` or `rediss://` for TLS. Unset: zero-infrastructure mode, every store in memory. */
    REDIS_URL: z
      .string()
      .trim()
      .refine((value) => /^rediss?:\/\//.test(value), { message: 'must start with redis:// or rediss://' })
      .optional(),
    REDIS_CONNECT_TIMEOUT_SECONDS: envInt(1, 60).default(5),
  })
  .transform((env) => ({ url: env.REDIS_URL, connectTimeoutSeconds: env.REDIS_CONNECT_TIMEOUT_SECONDS }));

declare module '../config/app-config' {
  interface AppConfig {
    redis: SliceOf<typeof redisSettings>;
  }
}
