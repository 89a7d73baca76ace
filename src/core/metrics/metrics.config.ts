import { z } from 'zod';
import { envBoolean, envInt } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Prometheus exposition (docs/observability.md), `config.metrics`. */
export const metricsSettings = z
  .object({
    METRICS_ENABLED: envBoolean().default(true),
    /** Path of the scrape endpoint. */
    METRICS_PATH: z
      .string()
      .regex(/^\/[a-z0-9/_-]*$/, { message: 'must be an absolute path such as /metrics' })
      .default('/metrics'),
    /** Serve the metrics on their own port (0: any free port). Unset: on the main port. */
    METRICS_PORT: envInt(0, 65535).optional(),
  })
  .transform((env) => ({ enabled: env.METRICS_ENABLED, path: env.METRICS_PATH, port: env.METRICS_PORT }));

declare module '../config/app-config' {
  interface AppConfig {
    metrics: SliceOf<typeof metricsSettings>;
  }
}
