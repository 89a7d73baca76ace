import type { IncomingMessage } from 'node:http';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { AppConfig } from '../config/app-config';
import { isProbePath } from '../routing/probe-paths';
import { createExporter } from './exporter';
import { createSampler } from './sampler';

/** `deployment.environment.name` (OpenTelemetry resource semantic conventions, incubating). */
const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';

/**
 * Builds the OpenTelemetry SDK (not started). Only `startTracing` loads this
 * module, and only when tracing is enabled: the SDK and its instrumentations
 * take about 0.3 s to load here, a fifth of a cold start (docs/performance.md).
 *
 * - Spans: http (server and client, with W3C `traceparent`/`tracestate`
 *   accepted inbound and injected outbound), Fastify routes and hooks
 *   (`@fastify/otel`), PostgreSQL queries, Redis commands, `fetch` (undici,
 *   used for JWKS). Probe and metrics requests are not traced.
 * - Batched export over OTLP; metrics and logs are not exported through
 *   OpenTelemetry (Prometheus scrapes metrics; logs go to stdout).
 */
export function createTracingSdk(config: AppConfig): NodeSDK {
  const probe = (url: string | undefined) => isProbePath(url ?? '', config.metrics.path);
  return new NodeSDK({
    serviceName: config.tracing.serviceName,
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.tracing.serviceName,
      [ATTR_SERVICE_VERSION]: config.app.version,
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: config.app.env,
    }),
    sampler: createSampler(config.tracing),
    traceExporter: createExporter(config.tracing),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request: IncomingMessage) => probe(request.url) }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true, ignorePaths: ({ url }) => probe(url) }),
      // Connection set-up and pool checks outside a request would be root spans of their own: noise.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new UndiciInstrumentation(),
    ],
  });
}
