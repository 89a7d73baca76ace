import type { z } from 'zod';
import { authSettings } from '../auth/auth.config';
import { cacheSettings } from '../cache/cache.config';
import { circuitBreakerSettings } from '../circuit-breaker/circuit-breaker.config';
import { conditionalSettings } from '../conditional/conditional.config';
import type { AppConfig } from '../config/app-config';
import { appSettings } from '../config/app.config';
import { variablesOf } from '../config/load-settings';
import type { LoadedSettings } from '../config/settings-block';
import { databaseSettings } from '../database/database.config';
import { outboxSettings } from '../events/outbox.config';
import { healthSettings } from '../health/health.config';
import { httpClientSettings } from '../http-client/http-client.config';
import { httpSettings } from '../server/http.config';
import { idempotencySettings } from '../idempotency/idempotency.config';
import { jobsSettings } from '../jobs/jobs.config';
import { jobsDashboardSettings } from '../jobs/dashboard/jobs-dashboard.config';
import { shutdownSettings } from '../lifecycle/shutdown.config';
import { loggingSettings } from '../logging/logging.config';
import { metricsSettings } from '../metrics/metrics.config';
import { openApiSettings } from '../openapi/openapi.config';
import { rateLimitSettings } from '../rate-limit/rate-limit.config';
import { redisSettings } from '../redis/redis.config';
import { eventHubSettings } from '../streaming/hub/event-hub.config';
import { corsSettings } from '../security/cors.config';
import { streamingSettings } from '../streaming/streaming.config';
import { securitySettings } from '../security/security.config';
import { tenancySettings } from '../tenancy/tenancy.config';
import { tracingSettings } from '../tracing/tracing.config';

/**
 * The chassis's settings: every concern's block, merged. Each block (its
 * variables, their documentation and the transform to its slice of
 * {@link AppConfig}) lives with its concern; this file only lists them. The
 * order is the order of the variables in an error and in docs/configuration.md.
 */
export const chassisSettings = {
  app: appSettings,
  logging: loggingSettings,
  database: databaseSettings,
  http: httpSettings,
  cors: corsSettings,
  security: securitySettings,
  rateLimit: rateLimitSettings,
  openApi: openApiSettings,
  redis: redisSettings,
  circuitBreaker: circuitBreakerSettings,
  httpClient: httpClientSettings,
  auth: authSettings,
  tenancy: tenancySettings,
  cache: cacheSettings,
  idempotency: idempotencySettings,
  jobs: jobsSettings,
  jobsDashboard: jobsDashboardSettings,
  outbox: outboxSettings,
  conditional: conditionalSettings,
  streaming: streamingSettings,
  eventHub: eventHubSettings,
  metrics: metricsSettings,
  tracing: tracingSettings,
  health: healthSettings,
  shutdown: shutdownSettings,
};

/** Every variable the chassis reads, with its rule and default (the drift tests read its keys). */
export const envSchema = variablesOf(chassisSettings);

/** The variables as parsed, before the blocks' transforms (what the rules between variables read). */
export type Env = z.output<typeof envSchema>;

/** What the blocks load to; {@link AppConfig} (assembled by declaration merging) must be exactly this. */
type LoadedChassisSettings = LoadedSettings<typeof chassisSettings>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile when a block is missing from AppConfig or AppConfig holds a slice no block loads. */
export const APP_CONFIG_MATCHES_BLOCKS: Same<AppConfig, LoadedChassisSettings> = true;
