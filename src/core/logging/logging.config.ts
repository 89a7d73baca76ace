import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envBoolean, envList } from '../config/env';
import type { SliceOf } from '../config/settings-block';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Logging (docs/observability.md), `config.logging`. */
export const loggingSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    /** Minimum level written. */
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** `json` (one JSON object per line) or `pretty` (pino-pretty, development only). Default: `pretty` in development, else `json`. */
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    /** Redaction paths (pino/fast-redact syntax) for logged objects, e.g. a body a feature logs; on top of the credential headers always redacted. */
    LOG_REDACT_PATHS: envList().default(['*.password', '*.secret', '*.token']),
    /** Keep query-string values in the access log's `url` (default: `?q=[redacted]`). */
    LOG_QUERY_VALUES: envBoolean().default(false),
    /** Access-log health-probe and metrics-scrape requests too. */
    LOG_PROBE_REQUESTS: envBoolean().default(false),
  })
  .transform((env) => ({
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json'),
    redactPaths: env.LOG_REDACT_PATHS,
    queryValues: env.LOG_QUERY_VALUES,
    probeRequests: env.LOG_PROBE_REQUESTS,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    logging: SliceOf<typeof loggingSettings>;
  }
}
