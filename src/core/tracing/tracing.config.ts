import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envBoolean, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

export const OTEL_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
export const OTEL_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/**
 * OpenTelemetry tracing (docs/observability.md), `config.tracing`: the
 * standard variables the chassis reads (names and values as in the
 * OpenTelemetry SDK environment variable specification). Other `OTEL_*`
 * variables are read by the SDK itself.
 */
export const tracingSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    SERVICE_NAME: APP_IDENTITY.SERVICE_NAME,
    /** Default: disabled in development only (no collector there). */
    OTEL_SDK_DISABLED: envBoolean().optional(),
    /** Default: `SERVICE_NAME`. */
    OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
    /** OTLP base URL; the exporter appends `/v1/traces` for the HTTP protocols. Default: localhost, on the protocol's port. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .string()
      .trim()
      .refine((value) => /^https?:\/\/[^/]/.test(value), { message: 'must be an http:// or https:// URL' })
      .optional(),
    OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(OTEL_PROTOCOLS).default('http/protobuf'),
    OTEL_TRACES_SAMPLER: z.enum(OTEL_SAMPLERS).default('parentbased_traceidratio'),
    /** Sampling ratio in [0, 1] for the `*traceidratio` samplers. */
    OTEL_TRACES_SAMPLER_ARG: envNumber(0, 1).default(1),
  })
  .transform((env) => ({
    enabled: !(env.OTEL_SDK_DISABLED ?? env.NODE_ENV === 'development'),
    serviceName: env.OTEL_SERVICE_NAME ?? env.SERVICE_NAME,
    endpoint:
      env.OTEL_EXPORTER_OTLP_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_PROTOCOL === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318'),
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerArg: env.OTEL_TRACES_SAMPLER_ARG,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    tracing: SliceOf<typeof tracingSettings>;
  }
}
