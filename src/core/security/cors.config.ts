import { z } from 'zod';
import { envBoolean, envInt, envList } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** An origin as browsers send it: scheme://host[:port], no path. */
const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/** CORS (`@fastify/cors`), `config.cors`; no origins means CORS is off. */
export const corsSettings = z
  .object({
    /** Comma-separated allowed origins, or `*`. Unset: CORS off (no CORS headers, no preflight answers). */
    CORS_ORIGINS: envList()
      .pipe(
        z.array(z.string().refine((o) => o === '*' || ORIGIN.test(o), { message: 'must be * or origins such as https://app.example.com' })),
      )
      .optional(),
    /** Matched upper-case. */
    CORS_METHODS: envList().default(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
    CORS_ALLOWED_HEADERS: envList().default([
      'Authorization',
      'Content-Type',
      'X-Correlation-ID',
      'Idempotency-Key',
      'If-Match',
      'If-None-Match',
      // EventSource sends it when it reconnects to a stream (docs/streaming.md).
      'Last-Event-ID',
    ]),
    CORS_EXPOSED_HEADERS: envList().default([
      'X-Request-ID',
      'X-Correlation-ID',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'RateLimit-Policy',
      'Retry-After',
      'Location',
      'ETag',
      'Idempotent-Replayed',
    ]),
    CORS_CREDENTIALS: envBoolean().default(false),
    CORS_MAX_AGE_SECONDS: envInt(0, 86400).default(600),
  })
  .transform((env) => ({
    origins: env.CORS_ORIGINS ?? [],
    methods: env.CORS_METHODS.map((method) => method.toUpperCase()),
    allowedHeaders: env.CORS_ALLOWED_HEADERS,
    exposedHeaders: env.CORS_EXPOSED_HEADERS,
    credentials: env.CORS_CREDENTIALS,
    maxAgeSeconds: env.CORS_MAX_AGE_SECONDS,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    cors: SliceOf<typeof corsSettings>;
  }
}
