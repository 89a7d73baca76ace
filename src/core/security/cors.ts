import fastifyCors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';

/**
 * CORS with @fastify/cors, from an explicit origin allow-list.
 *
 * - Off when CORS_ORIGINS is unset: no CORS headers, so browsers refuse
 *   cross-origin reads (the safe default for an API).
 * - Runs in `onRequest`, before rate limiting and authentication, so a
 *   preflight (which carries no credentials) is answered with 204 before
 *   anything can refuse it, and refusals (401, 429) carry the CORS headers a
 *   browser needs to let the page read them.
 * - `*` with credentials is refused at boot (production-rules.ts): the Fetch
 *   standard forbids it and reflecting any origin instead would be worse.
 * - `strictPreflight: false`: an OPTIONS request without the preflight
 *   headers gets the same 204 rather than the plugin's text/plain 400, so
 *   every error stays problem+json.
 */
export async function registerCors(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const { cors } = config;
  if (cors.origins.length === 0) return;
  await app.register(fastifyCors, {
    origin: cors.origins.includes('*') ? '*' : cors.origins,
    methods: cors.methods,
    allowedHeaders: cors.allowedHeaders,
    exposedHeaders: cors.exposedHeaders,
    credentials: cors.credentials,
    maxAge: cors.maxAgeSeconds,
    strictPreflight: false,
  });
}
