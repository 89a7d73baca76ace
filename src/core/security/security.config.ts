import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envBoolean, envInt } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Security headers (docs/request-pipeline.md), `config.security`. */
export const securitySettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    /** Send Strict-Transport-Security on HTTPS requests (directly or via a trusted proxy). Default: on in production. */
    SECURITY_HSTS_ENABLED: envBoolean().optional(),
    SECURITY_HSTS_MAX_AGE_SECONDS: envInt(0, 2 * 365 * 24 * 3600).default(365 * 24 * 3600),
    SECURITY_HSTS_INCLUDE_SUBDOMAINS: envBoolean().default(true),
    SECURITY_HSTS_PRELOAD: envBoolean().default(false),
  })
  .transform((env) => ({
    hsts: {
      enabled: env.SECURITY_HSTS_ENABLED ?? env.NODE_ENV === 'production',
      maxAgeSeconds: env.SECURITY_HSTS_MAX_AGE_SECONDS,
      includeSubDomains: env.SECURITY_HSTS_INCLUDE_SUBDOMAINS,
      preload: env.SECURITY_HSTS_PRELOAD,
    },
  }));

declare module '../config/app-config' {
  interface AppConfig {
    security: SliceOf<typeof securitySettings>;
  }
}
