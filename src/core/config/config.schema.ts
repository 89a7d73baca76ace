import { z } from 'zod';
import { JWT_ALGORITHMS } from './auth-settings';
import { envBoolean, envInt, envList, envNumber } from './env';
import { trustProxyValue } from './trust-proxy';

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
  /** Fastify `handlerTimeout`: a 503 problem and `request.signal` aborted after this long. 0 = no timeout. */
  REQUEST_TIMEOUT_SECONDS: envInt(0, 3600).default(30),
  /** Idle keep-alive connections are closed after this; keep it above the load balancer's idle timeout. */
  KEEP_ALIVE_TIMEOUT_SECONDS: envInt(1, 3600).default(65),
  /** Time a client has to send the request headers (slow-loris protection). */
  HEADERS_TIMEOUT_SECONDS: envInt(1, 3600).default(20),
  COMPRESSION_ENABLED: envBoolean().default(true),
  COMPRESSION_THRESHOLD_BYTES: envInt(0, 10 * 1024 * 1024).default(1024),
  /** Deepest nesting of objects/arrays in a JSON body (400 past it); deep bodies overflow recursive validators. */
  JSON_MAX_DEPTH: envInt(1, 256).default(32),
  /** Most members in one JSON object (413 past it); DTO whitelisting is quadratic in the key count. */
  JSON_MAX_KEYS_PER_OBJECT: envInt(1, 100_000).default(500),
  /** Most elements in one JSON array (413 past it). */
  JSON_MAX_ARRAY_LENGTH: envInt(1, 10_000_000).default(250),
  /** Most values (objects, arrays, strings, numbers, booleans, nulls) in a JSON body (413 past it); transformation costs microseconds per value. */
  JSON_MAX_VALUES: envInt(1, 10_000_000).default(2500),
  /** Most UTF-8 bytes of all strings in a JSON body, keys included (413 past it). */
  JSON_MAX_STRING_BYTES: envInt(1, 100 * 1024 * 1024).default(512 * 1024),
});

/** Trusted proxies and allowed hosts (see docs/request-pipeline.md). */
export const proxyEnvSchema = z.object({
  /** Off (default), a hop count, or a comma-separated list of addresses/CIDRs. `true` is refused: spoofable. */
  TRUST_PROXY: z.string().trim().transform(trustProxyValue).optional(),
  /** Host names served; `.example.com` also matches subdomains. Unset: any host. */
  ALLOWED_HOSTS: envList()
    .pipe(
      z.array(
        z.string().regex(/^\.?[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i, { message: 'must be host names such as api.example.com or .example.com' }),
      ),
    )
    .optional(),
});

/** An origin as browsers send it: scheme://host[:port], no path. */
const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

export const corsEnvSchema = z.object({
  /** Comma-separated allowed origins, or `*`. Unset: CORS off (no CORS headers, no preflight answers). */
  CORS_ORIGINS: envList()
    .pipe(
      z.array(z.string().refine((o) => o === '*' || ORIGIN.test(o), { message: 'must be * or origins such as https://app.example.com' })),
    )
    .optional(),
  CORS_METHODS: envList().default(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
  CORS_ALLOWED_HEADERS: envList().default([
    'Authorization',
    'Content-Type',
    'X-Correlation-ID',
    'Idempotency-Key',
    'If-Match',
    'If-None-Match',
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
});

export const securityHeadersEnvSchema = z.object({
  /** Send Strict-Transport-Security on HTTPS requests. Default: on in production. */
  SECURITY_HSTS_ENABLED: envBoolean().optional(),
  SECURITY_HSTS_MAX_AGE_SECONDS: envInt(0, 2 * 365 * 24 * 3600).default(365 * 24 * 3600),
  SECURITY_HSTS_INCLUDE_SUBDOMAINS: envBoolean().default(true),
  SECURITY_HSTS_PRELOAD: envBoolean().default(false),
});

/** `name=limit/windowSeconds` pairs, comma-separated: `login=5/60,export=10/3600`. */
const RATE_LIMIT_POLICY = /^([a-z][a-z0-9-]{0,31})=(\d{1,7})\/(\d{1,6})$/;

export const rateLimitEnvSchema = z.object({
  RATE_LIMIT_ENABLED: envBoolean().default(true),
  /** The default policy: this many requests per client per window. */
  RATE_LIMIT_LIMIT: envInt(1, 1_000_000).default(100),
  RATE_LIMIT_WINDOW_SECONDS: envInt(1, 86400).default(60),
  /** Named policies for `@RateLimitPolicy(name)`: `login=5/60,export=10/3600`. */
  RATE_LIMIT_POLICIES: envList()
    .pipe(z.array(z.string().regex(RATE_LIMIT_POLICY, { message: 'must be name=limit/windowSeconds pairs, e.g. login=5/60' })))
    .optional(),
  /** Pre-authentication limit per client address and replica (floods never reach the auth guard). 0 = off. */
  RATE_LIMIT_PRE_AUTH_LIMIT: envInt(0, 10_000_000).default(1000),
  RATE_LIMIT_PRE_AUTH_WINDOW_SECONDS: envInt(1, 3600).default(60),
  /** When the Redis storage fails: `open` lets requests through, `closed` answers 503. */
  RATE_LIMIT_FAIL_MODE: z.enum(['open', 'closed']).default('open'),
  /** Prefix of the counters in Redis. Default `<SERVICE_NAME>:rate-limit:`. */
  RATE_LIMIT_REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:._{}-]{1,64}$/, { message: 'must be 1-64 of A-Z a-z 0-9 : . _ - { }' })
    .optional(),
  /** A Redis call slower than this counts as a storage failure (then the fail mode applies). */
  RATE_LIMIT_REDIS_TIMEOUT_SECONDS: envNumber(0.01, 10).default(0.5),
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

/**
 * Authentication (docs/authentication.md). Exactly one key mode: a shared
 * secret, a static public key or a JWKS URI; none set means the development
 * secret (refused in production). Cross-variable rules: `auth-settings.ts`.
 */
export const authEnvSchema = z.object({
  AUTH_JWT_SECRET: z
    .string()
    .refine((value) => Buffer.byteLength(value, 'utf8') >= 32, { message: 'must be at least 32 bytes (256 bits)' })
    .optional(),
  /** PEM text (SPKI public key or X.509 certificate) or a path to a PEM file. */
  AUTH_JWT_PUBLIC_KEY: z.string().trim().optional(),
  AUTH_JWKS_URI: z
    .string()
    .trim()
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value), { message: 'must be an http(s):// URL' })
    .optional(),
  AUTH_JWT_ALGORITHMS: envList()
    .pipe(z.array(z.enum(JWT_ALGORITHMS)).min(1, { message: 'must list at least one algorithm' }))
    .optional(),
  AUTH_JWT_ISSUER: envList().pipe(z.array(z.string()).min(1)).optional(),
  AUTH_JWT_AUDIENCE: envList().pipe(z.array(z.string()).min(1)).optional(),
  AUTH_CLOCK_TOLERANCE_SECONDS: envInt(0, 300).default(30),
  AUTH_ROLES_CLAIM: z.string().trim().min(1).default('roles'),
  AUTH_MAX_TOKEN_BYTES: envInt(256, 65536).default(8192),
  AUTH_VERIFIED_TOKEN_CACHE_SIZE: envInt(0, 1_000_000).default(10_000),
  AUTH_JWKS_CACHE_TTL_SECONDS: envInt(1, 86_400).default(600),
  AUTH_JWKS_COOLDOWN_SECONDS: envInt(0, 3600).default(30),
  AUTH_JWKS_REQUESTS_PER_MINUTE: envInt(1, 600).default(10),
  AUTH_JWKS_GRACE_PERIOD_SECONDS: envInt(0, 7 * 86_400).default(3600),
  AUTH_JWKS_TIMEOUT_SECONDS: envInt(1, 60).default(5),
  AUTH_JWKS_MAX_BYTES: envInt(1024, 64 * 1024 * 1024).default(1024 * 1024),
});

export const cacheEnvSchema = z.object({
  CACHE_TTL_SECONDS: envInt(1, 30 * 24 * 3600).default(60),
  CACHE_MAX_ITEMS: envInt(1, 10_000_000).default(10_000),
  /** Default (resolved in load-config): `<SERVICE_NAME>:<NODE_ENV>:cache:`. */
  CACHE_KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'must be 1-100 letters, digits, ".", "_", ":" or "-"' })
    .optional(),
  CACHE_OPERATION_TIMEOUT_SECONDS: envNumber(0.001, 10).default(0.1),
  CACHE_CRITICAL: envBoolean().default(false),
  CACHE_RESPECT_NO_CACHE: envBoolean().default(true),
});

/** Idempotency keys (docs/safe-writes.md). */
export const idempotencyEnvSchema = z.object({
  /** How long a completed request's response is replayed to retries with its key. */
  IDEMPOTENCY_TTL_SECONDS: envInt(60, 30 * 24 * 3600).default(24 * 3600),
  /** When the Redis store fails: `closed` answers 503 (no duplicate can happen), `open` runs the handler without the guarantee. */
  IDEMPOTENCY_FAIL_MODE: z.enum(['open', 'closed']).default('closed'),
  /** A Redis call slower than this counts as a store failure (then the fail mode applies). */
  IDEMPOTENCY_REDIS_TIMEOUT_SECONDS: envNumber(0.01, 10).default(0.5),
  /** Records kept by the in-memory store (without REDIS_URL); the least recently used are dropped beyond it. */
  IDEMPOTENCY_MEMORY_MAX_ENTRIES: envInt(1, 10_000_000).default(10_000),
  /** Default (resolved in load-config): `<SERVICE_NAME>:<NODE_ENV>:idempotency:`. */
  IDEMPOTENCY_KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'must be 1-100 letters, digits, ".", "_", ":" or "-"' })
    .optional(),
});

/** Conditional requests (docs/safe-writes.md). */
export const conditionalEnvSchema = z.object({
  /** Refuse PUT/PATCH/DELETE on `@VersionedResource()` routes without If-Match (428). */
  CONDITIONAL_REQUIRE_IF_MATCH: envBoolean().default(false),
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
  HEALTH_REDIS_CRITICAL: envBoolean().default(false),
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
  .extend(proxyEnvSchema.shape)
  .extend(corsEnvSchema.shape)
  .extend(securityHeadersEnvSchema.shape)
  .extend(rateLimitEnvSchema.shape)
  .extend(openApiEnvSchema.shape)
  .extend(redisEnvSchema.shape)
  .extend(authEnvSchema.shape)
  .extend(cacheEnvSchema.shape)
  .extend(idempotencyEnvSchema.shape)
  .extend(conditionalEnvSchema.shape)
  .extend(metricsEnvSchema.shape)
  .extend(tracingEnvSchema.shape)
  .extend(healthEnvSchema.shape)
  .extend(shutdownEnvSchema.shape);

export type Env = z.infer<typeof envSchema>;
