import { z } from 'zod';
import { envBoolean, envInt, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Circuit breakers per dependency (docs/health-checks.md#circuit-breakers), `config.circuitBreaker`. */
export const circuitBreakerSettings = z
  .object({
    /** Short-circuit calls to a dependency after repeated failures. `false`: every call goes to the dependency. */
    CIRCUIT_BREAKER_ENABLED: envBoolean().default(true),
    /** Consecutive failures (errors or timeouts) of one dependency that open its circuit. */
    CIRCUIT_BREAKER_FAILURES: envInt(1, 1000).default(5),
    /** Seconds an open circuit fails calls at once before it lets one probe through (half-open); decimals allowed. */
    CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: envNumber(0.1, 600).default(5),
  })
  .transform((env) => ({
    enabled: env.CIRCUIT_BREAKER_ENABLED,
    failures: env.CIRCUIT_BREAKER_FAILURES,
    halfOpenAfterSeconds: env.CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    circuitBreaker: SliceOf<typeof circuitBreakerSettings>;
  }
}
