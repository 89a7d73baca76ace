import { z } from 'zod';
import { envBoolean, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Health probes (docs/health-checks.md), `config.health`. */
export const healthSettings = z
  .object({
    /** Show error messages and latencies in readiness/startup bodies. */
    HEALTH_DETAILS: envBoolean().default(false),
    /** Default time limit of one readiness check. */
    HEALTH_CHECK_TIMEOUT_SECONDS: envNumber(0.05, 60).default(2),
    /** How long a readiness result is reused (0: never). */
    HEALTH_CACHE_SECONDS: envNumber(0, 60).default(1),
    /** Redis down makes the service not ready (`false`: degraded only). */
    HEALTH_REDIS_CRITICAL: envBoolean().default(false),
  })
  .transform((env) => ({
    details: env.HEALTH_DETAILS,
    checkTimeoutSeconds: env.HEALTH_CHECK_TIMEOUT_SECONDS,
    cacheSeconds: env.HEALTH_CACHE_SECONDS,
    redisCritical: env.HEALTH_REDIS_CRITICAL,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    health: SliceOf<typeof healthSettings>;
  }
}
