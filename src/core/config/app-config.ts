import type { appSettings } from './app.config';
import type { SliceOf } from './settings-block';

/**
 * The typed configuration every part of the chassis reads. Built once at boot
 * by `loadConfig` (src/core/settings/load-config.ts) from the environment;
 * never read `process.env` elsewhere.
 *
 * Each concern adds its slice from its own settings block
 * (`<concern>/<concern>.config.ts`, a zod object with a `.transform()` to the
 * slice) by declaration merging, so this folder imports no concern and every
 * concern can import this type without a folder cycle.
 * `src/core/settings/config.schema.ts` fails to compile when this interface
 * and the merged blocks disagree.
 *
 * Units are in the names: `...Seconds` are seconds, `...Ms` milliseconds,
 * `...Bytes` bytes. Each setting is documented once, next to its variable in
 * its block, and in docs/configuration.md.
 */
export interface AppConfig {
  app: SliceOf<typeof appSettings>;
}

/** The slices by their historical names (each one is `AppConfig[...]`, defined by its block). */
export type AuthConfig = AppConfig['auth'];
export type CacheConfig = AppConfig['cache'];
export type CorsConfig = AppConfig['cors'];
export type DatabaseConfig = AppConfig['database'];
export type HealthConfig = AppConfig['health'];
export type HttpConfig = AppConfig['http'];
export type IdempotencyConfig = AppConfig['idempotency'];
export type JsonLimits = HttpConfig['json'];
export type MetricsConfig = AppConfig['metrics'];
export type RateLimitConfig = AppConfig['rateLimit'];
export type RateLimitPolicyConfig = RateLimitConfig['defaultPolicy'];
export type ShutdownConfig = AppConfig['shutdown'];
export type TracingConfig = AppConfig['tracing'];
