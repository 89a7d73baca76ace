/**
 * The chassis's public API: everything a feature may import from core.
 * Features import from here (`../../core`) and never from core's folders;
 * ESLint enforces it.
 */

// Errors a service throws; the chassis maps them to problem+json.
export {
  DomainError,
  NotFoundError,
  ConflictError,
  ForbiddenError,
  BusinessRuleError,
  PreconditionFailedError,
} from './errors/domain-errors';
export type { ProblemDetails, FieldError } from './errors/problem-details';

// Authentication: routes are authenticated unless marked @Public().
export { Public } from './access/public.decorator';
export { PublicWrite } from './auth/public-write.decorator';
export { Scopes } from './auth/scopes.decorator';
export { Roles } from './auth/roles.decorator';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export type { Principal } from './auth/principal';

// Multi-tenancy (off unless TENANT_CLAIM is set): the request's tenant, and entities scoped to it.
export { CurrentTenant } from './tenancy/current-tenant.decorator';
export { TenantScoped } from './tenancy/tenant-scoped.decorator';
export { TenantScopeError } from './tenancy/tenant-scope.error';
export { tenantRowLevelSecurity, dropTenantRowLevelSecurity } from './tenancy/tenant-row-level-security';

// Rate limiting: every route is limited by the default policy unless it opts out or picks another.
export { Throttle, SkipThrottle, seconds, minutes, hours } from './access/throttle.decorator';
export { RateLimitPolicy } from './rate-limit/rate-limit-policy.decorator';

// The request being served (ids, abort signal), anywhere in its call tree.
export { currentRequestContext } from './context/request-context';
export type { RequestContext } from './context/request-context';
export { RequestSignal } from './context/request-signal.decorator';

// Server-Sent Events: a route that streams events (docs/streaming.md).
export { EventStream } from './streaming/event-stream.decorator';
export type { EventStreamOptions } from './streaming/event-stream.decorator';
export { LastEventId } from './streaming/last-event-id.decorator';
export type { ServerSentEvent } from './streaming/server-sent-event';
export { RequestTimeout } from './server/request-timeout.decorator';

// Request headers validated like bodies and queries (class-validator DTO, 400 problem).
export { RequestHeaders } from './validation/request-headers.decorator';

// Lists.
export { PaginationQuery, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, MAX_OFFSET } from './pagination/pagination.query';
export type { Page } from './pagination/page';
export { toOrder, sortValues } from './pagination/sort';

// OpenAPI.
export { ApiProblemResponses } from './openapi/api-problem-responses.decorator';
export { ApiEventStreamResponse } from './openapi/api-event-stream-response.decorator';
export { ApiPageResponse } from './openapi/api-page-response.decorator';

// Caching: the typed cache services inject, and opt-in HTTP response caching.
export { AppCache } from './cache/app-cache';
export type { CacheReadiness } from './cache/app-cache';
export { CacheResponse } from './cache/cache-response.decorator';

// Safe writes: retried requests with an Idempotency-Key answer once (docs/safe-writes.md).
export { Idempotent } from './idempotency/idempotent.decorator';
export type { IdempotentOptions } from './idempotency/idempotency.tokens';
export { VersionedResource, CurrentPrecondition } from './conditional/versioned-resource.decorator';
export { assertPrecondition, updateIfCurrent, deleteIfCurrent } from './conditional/versioned-writes';
export type { Precondition } from './conditional/precondition';

// Configuration (read-only, typed).
export { InjectConfig } from './config/inject-config.decorator';
export type { AppConfig } from './config/app-config';

// A feature's own settings: declared in its folder, validated at boot with the chassis's (docs/configuration.md#feature-settings).
export { defineFeatureSettings } from './config/feature-settings';
export type { FeatureSettings, FeatureSettingsOf } from './config/feature-settings';
export { FeatureSettingsModule } from './config/feature-settings.module';
export { InjectFeatureSettings } from './config/inject-feature-settings.decorator';
export { envBoolean, envInt, envList, envNumber } from './config/env';

// Migrations: column types that mean the same on SQLite and PostgreSQL.
export { portableColumnTypes } from './database/portable-column-types';
export { TimestampColumn } from './database/timestamp-column.decorator';

// Health: add a readiness check or a warm-up task (docs/health-checks.md).
export { HealthCheckRegistry } from './health/health-check.registry';
export type { ReadinessCheck } from './health/health-check';
export { HealthIndicatorService } from '@nestjs/terminus';

// Metrics: a feature's own metric, on the app's registry (docs/observability.md).
export { counterProvider, gaugeProvider, histogramProvider } from './metrics/metric-providers';
export { InjectMetric } from './metrics/inject-metric.decorator';
export type { Counter, Gauge, Histogram } from 'prom-client';

// Background jobs and schedules: BullMQ on Redis, in-process without (docs/jobs.md).
export { JobsModule } from './jobs/jobs.module';
export { defineQueue } from './jobs/queue-definition';
export type { QueueDefinition, QueueDefaults } from './jobs/queue-definition';
export { JobQueue, InjectJobQueue } from './jobs/job-queue';
export type { AddJobOptions } from './jobs/job-queue';
export { JobProcessor } from './jobs/job-processor.decorator';
export type { JobHandler } from './jobs/job-processor.decorator';
export type { ProcessedJob } from './jobs/processed-job';
export { Schedule } from './jobs/schedule.decorator';
export type { ScheduleOptions } from './jobs/schedule-options';
export type { FailedJob, JobState } from './jobs/jobs.engine';
export { InvalidJobPayloadError } from './jobs/invalid-job-payload.error';
export { JobTimeoutError } from './jobs/job-timeout.error';
export { QueueUnavailableError } from './jobs/queue-unavailable.error';

// Outbound HTTP: one resilient client per named upstream, UPSTREAM_<NAME>_URL (docs/outbound-http.md).
export { InjectUpstream } from './http-client/inject-upstream.decorator';
export { UpstreamClients } from './http-client/upstream-clients';
export { UpstreamClient } from './http-client/upstream-client';
export type { UpstreamMethod } from './http-client/upstream-client';
export type { UpstreamResponse, UpstreamRequestOptions } from './http-client/upstream-response';
export { UpstreamError, UpstreamBadGatewayError, UpstreamUnavailableError, UpstreamTimeoutError } from './errors/upstream-errors';
export type { UpstreamFailure } from './errors/upstream-errors';

// Domain events through a transactional outbox, handled once per handler (docs/jobs.md#domain-events-and-the-outbox).
export { DomainEvents } from './events/domain-events';
export type { DomainEvent } from './events/domain-event';
export { OnDomainEvent } from './events/on-domain-event.decorator';

// Live events by topic with a replay window, for streaming routes: in-process, or Redis Streams across replicas (docs/streaming.md#event-hub).
export { EventHub, RESET_EVENT } from './streaming/hub/event-hub';
export type { PublishOptions, SubscribeOptions } from './streaming/hub/event-hub';
export { EventHubUnavailableError } from './streaming/hub/event-hub-unavailable.error';
