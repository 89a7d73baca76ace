import { z } from 'zod';
import { envBoolean, envInt, envList, envNumber } from './env';

/**
 * The environment schema: every variable the chassis reads, with its default.
 *
 * Each concern owns one block below. Defaults that differ between development
 * and production are resolved in `load-config.ts`, not here, so this schema
 * stays a plain list a reader (and the drift test against `.env.example` and
 * `docs/configuration.md`) can follow.
 */
export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const appEnvSchema = z.object({
  NODE_ENV: z.enum(NODE_ENVS).default('development'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: envInt(1, 65535).default(3000),
  SERVICE_NAME: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, {
      message: 'must be 1-63 lowercase letters, digits, ".", "_" or "-"',
    })
    .default('nest-chassis'),
});

export const loggingEnvSchema = z.object({
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** `json` (one JSON object per line) or `pretty` (pino-pretty, development only). */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** Redaction paths (pino/fast-redact syntax) for logged objects, e.g. a body a feature logs. */
  LOG_REDACT_PATHS: envList().default(['*.password', '*.secret', '*.token']),
  /** Keep query-string values in the access log's `url` (redacted by default). */
  LOG_QUERY_VALUES: envBoolean().default(false),
  /** Access-log health-probe and metrics-scrape requests too. */
  LOG_PROBE_REQUESTS: envBoolean().default(false),
});

export const databaseEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .refine((value) => /^(sqlite:|postgres(ql)?:\/\/)/.test(value), {
      message: 'must start with sqlite: or postgres:// (postgresql://)',
    })
    .default('sqlite:./data/app.sqlite'),
  DATABASE_POOL_SIZE: envInt(1, 200).default(10),
  DATABASE_CONNECT_TIMEOUT_SECONDS: envInt(1, 300).default(10),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: envInt(0, 3600).default(30),
  DATABASE_IDLE_TIMEOUT_SECONDS: envInt(1, 3600).default(30),
  DATABASE_SSL: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  DATABASE_SSL_CA: z.string().optional(),
  DATABASE_MIGRATIONS_RUN: envBoolean().optional(),
  DATABASE_LOGGING: envBoolean().default(false),
  DATABASE_SYNCHRONIZE: envBoolean().default(false),
});

export const httpEnvSchema = z.object({
  BODY_LIMIT_BYTES: envInt(1024, 100 * 1024 * 1024).default(1024 * 1024),
});

export const openApiEnvSchema = z.object({
  OPENAPI_ENABLED: envBoolean().optional(),
  OPENAPI_PATH: z
    .string()
    .regex(/^\/[a-z0-9/_-]*$/, { message: 'must be an absolute path such as /docs' })
    .default('/docs'),
});

export const redisEnvSchema = z.object({
  /** `redis://[:password@]host:port[/db]` or `rediss://` for TLS. Unset: in-memory stores. */
  REDIS_URL: z
    .string()
    .trim()
    .refine((value) => /^rediss?:\/\//.test(value), { message: 'must start with redis:// or rediss://' })
    .optional(),
  REDIS_CONNECT_TIMEOUT_SECONDS: envInt(1, 60).default(5),
});

const urlPath = (example: string) => z.string().regex(/^\/[a-z0-9/_-]*$/, { message: `must be an absolute path such as ${example}` });

export const metricsEnvSchema = z.object({
  METRICS_ENABLED: envBoolean().default(true),
  METRICS_PATH: urlPath('/metrics').default('/metrics'),
  /** Serve the metrics on their own port (0: any free port). Unset: on the main port. */
  METRICS_PORT: envInt(0, 65535).optional(),
});

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
 * The standard OpenTelemetry variables the chassis reads (names and values as in
 * the OpenTelemetry SDK environment variable specification). Other `OTEL_*`
 * variables are read by the SDK itself.
 */
export const tracingEnvSchema = z.object({
  OTEL_SDK_DISABLED: envBoolean().optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .trim()
    .refine((value) => /^https?:\/\/[^/]/.test(value), { message: 'must be an http:// or https:// URL' })
    .optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(OTEL_PROTOCOLS).default('http/protobuf'),
  OTEL_TRACES_SAMPLER: z.enum(OTEL_SAMPLERS).default('parentbased_traceidratio'),
  OTEL_TRACES_SAMPLER_ARG: envNumber(0, 1).default(1),
});

export const healthEnvSchema = z.object({
  /** Show error messages and latencies in readiness/startup bodies. */
  HEALTH_DETAILS: envBoolean().default(false),
  HEALTH_CHECK_TIMEOUT_SECONDS: envNumber(0.05, 60).default(2),
  HEALTH_CACHE_SECONDS: envNumber(0, 60).default(1),
  HEALTH_REDIS_CRITICAL: envBoolean().default(true),
});

export const shutdownEnvSchema = z.object({
  SHUTDOWN_DELAY_SECONDS: envNumber(0, 300).optional(),
  SHUTDOWN_TIMEOUT_SECONDS: envNumber(1, 600).default(20),
});

/** Every block merged: the full set of variables the chassis reads. */
export const envSchema = appEnvSchema
  .extend(loggingEnvSchema.shape)
  .extend(databaseEnvSchema.shape)
  .extend(httpEnvSchema.shape)
  .extend(openApiEnvSchema.shape)
  .extend(redisEnvSchema.shape)
  .extend(metricsEnvSchema.shape)
  .extend(tracingEnvSchema.shape)
  .extend(healthEnvSchema.shape)
  .extend(shutdownEnvSchema.shape);

export type Env = z.infer<typeof envSchema>;
