/**
 * The OpenTelemetry entry point, loaded before the app:
 *
 *   node --max-semi-space-size=8 --require ./dist/src/instrumentation.js dist/src/main.js   (npm run start:prod)
 *
 * It must run before anything imports `http`, `fastify`, `pg` or `ioredis`,
 * so the instrumentations can patch them; that is why it is a separate file
 * and not a step of `createApp`. It reads the same validated configuration as
 * the app (a bad environment is reported by `main.ts`, so errors are ignored
 * here). Tracing is off in development unless `OTEL_SDK_DISABLED=false`.
 */
import { readDotEnv } from './core/config/dot-env';
import { loadConfig } from './core/settings/load-config';
import { startTracing } from './core/tracing/tracing';

try {
  startTracing(loadConfig({ ...readDotEnv(), ...process.env }));
} catch {
  // main.ts validates the environment again and reports every problem.
}
