import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import type { AppConfig, AuthConfig, CacheConfig, CorsConfig, DatabaseConfig, HttpConfig, RateLimitConfig } from './app-config';
import {
  authSettingProblems,
  defaultAlgorithmForKey,
  DEVELOPMENT_JWT_SECRET,
  keySettingsGiven,
  keySupportsAlgorithm,
  parsePublicKey,
  type JwtAlgorithm,
} from './auth-settings';
import { envSchema, type Env } from './config.schema';
import { ConfigValidationError } from './config.error';
import { insecureSettings } from './production-rules';

/** A source of environment variables, e.g. `process.env` merged with overrides. */
export type EnvSource = Record<string, string | undefined>;

/**
 * Validates the environment and builds the typed {@link AppConfig}.
 *
 * Empty strings count as unset, so `PORT=` in a `.env` file falls back to the
 * default instead of failing.
 *
 * @throws ConfigValidationError listing every bad variable (not just the first).
 */
export function loadConfig(source: EnvSource): AppConfig {
  const env = validate(source);
  return {
    app: {
      env: env.NODE_ENV,
      isProduction: env.NODE_ENV === 'production',
      host: env.HOST,
      port: env.PORT,
      serviceName: env.SERVICE_NAME,
      version: packageVersion(),
    },
    logging: {
      level: env.LOG_LEVEL,
      format: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json'),
      redactPaths: env.LOG_REDACT_PATHS,
      queryValues: env.LOG_QUERY_VALUES,
      probeRequests: env.LOG_PROBE_REQUESTS,
    },
    database: databaseConfig(env),
    http: httpConfig(env),
    cors: corsConfig(env),
    security: {
      hsts: {
        enabled: env.SECURITY_HSTS_ENABLED ?? env.NODE_ENV === 'production',
        maxAgeSeconds: env.SECURITY_HSTS_MAX_AGE_SECONDS,
        includeSubDomains: env.SECURITY_HSTS_INCLUDE_SUBDOMAINS,
        preload: env.SECURITY_HSTS_PRELOAD,
      },
    },
    rateLimit: rateLimitConfig(env),
    redis: { url: env.REDIS_URL, connectTimeoutSeconds: env.REDIS_CONNECT_TIMEOUT_SECONDS },
    cache: cacheConfig(env),
    idempotency: {
      ttlSeconds: env.IDEMPOTENCY_TTL_SECONDS,
      failMode: env.IDEMPOTENCY_FAIL_MODE,
      redisTimeoutSeconds: env.IDEMPOTENCY_REDIS_TIMEOUT_SECONDS,
      memoryMaxEntries: env.IDEMPOTENCY_MEMORY_MAX_ENTRIES,
      keyPrefix: env.IDEMPOTENCY_KEY_PREFIX ?? `${env.SERVICE_NAME}:${env.NODE_ENV}:idempotency:`,
    },
    conditional: { requireIfMatch: env.CONDITIONAL_REQUIRE_IF_MATCH },
    openApi: {
      enabled: env.OPENAPI_ENABLED ?? env.NODE_ENV !== 'production',
      path: env.OPENAPI_PATH,
    },
    auth: authConfig(env),
    metrics: { enabled: env.METRICS_ENABLED, path: env.METRICS_PATH, port: env.METRICS_PORT },
    tracing: tracingConfig(env),
    health: {
      details: env.HEALTH_DETAILS,
      checkTimeoutSeconds: env.HEALTH_CHECK_TIMEOUT_SECONDS,
      cacheSeconds: env.HEALTH_CACHE_SECONDS,
      redisCritical: env.HEALTH_REDIS_CRITICAL,
    },
    shutdown: {
      // Load balancers need a few seconds to stop routing to a pod that is going away;
      // a developer pressing Ctrl-C does not.
      delaySeconds: env.SHUTDOWN_DELAY_SECONDS ?? (env.NODE_ENV === 'production' ? 5 : 0),
      timeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS,
    },
  };
}

/** Off by default in development (no collector there); the OTLP default port follows the protocol. */
function tracingConfig(env: Env): AppConfig['tracing'] {
  const defaultEndpoint = env.OTEL_EXPORTER_OTLP_PROTOCOL === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318';
  return {
    enabled: !(env.OTEL_SDK_DISABLED ?? env.NODE_ENV === 'development'),
    serviceName: env.OTEL_SERVICE_NAME ?? env.SERVICE_NAME,
    endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? defaultEndpoint,
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerArg: env.OTEL_TRACES_SAMPLER_ARG,
  };
}

function validate(source: EnvSource): Env {
  const known = Object.keys(envSchema.shape);
  const input: Record<string, string> = {};
  for (const key of known) {
    const value = source[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) throw new ConfigValidationError(describe(parsed.error, input));
  const refused = [...authSettingProblems(parsed.data), ...insecureSettings(parsed.data)];
  if (refused.length > 0) throw new ConfigValidationError(refused);
  return parsed.data;
}

/** One line per bad variable: its name, the rule it broke and (if not secret-like) its value. */
function describe(error: z.ZodError, input: Record<string, string>): string[] {
  return error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    const value = input[name];
    const shown = value === undefined || /SECRET|PASSWORD|KEY|URL|TOKEN/.test(name) ? '' : ` (got "${value}")`;
    return `${name}: ${issue.message}${shown}`;
  });
}

function httpConfig(env: Env): HttpConfig {
  return {
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    trustProxy: env.TRUST_PROXY ?? false,
    allowedHosts: (env.ALLOWED_HOSTS ?? []).map((host) => host.toLowerCase()),
    requestTimeoutSeconds: env.REQUEST_TIMEOUT_SECONDS,
    keepAliveTimeoutSeconds: env.KEEP_ALIVE_TIMEOUT_SECONDS,
    headersTimeoutSeconds: env.HEADERS_TIMEOUT_SECONDS,
    compression: { enabled: env.COMPRESSION_ENABLED, thresholdBytes: env.COMPRESSION_THRESHOLD_BYTES },
    json: {
      maxDepth: env.JSON_MAX_DEPTH,
      maxKeysPerObject: env.JSON_MAX_KEYS_PER_OBJECT,
      maxArrayLength: env.JSON_MAX_ARRAY_LENGTH,
      maxValues: env.JSON_MAX_VALUES,
      maxStringBytes: env.JSON_MAX_STRING_BYTES,
    },
  };
}

function corsConfig(env: Env): CorsConfig {
  return {
    origins: env.CORS_ORIGINS ?? [],
    methods: env.CORS_METHODS.map((method) => method.toUpperCase()),
    allowedHeaders: env.CORS_ALLOWED_HEADERS,
    exposedHeaders: env.CORS_EXPOSED_HEADERS,
    credentials: env.CORS_CREDENTIALS,
    maxAgeSeconds: env.CORS_MAX_AGE_SECONDS,
  };
}

function rateLimitConfig(env: Env): RateLimitConfig {
  const policies: RateLimitConfig['policies'] = {};
  for (const entry of env.RATE_LIMIT_POLICIES ?? []) {
    const [name, rest] = entry.split('=');
    const [limit, windowSeconds] = rest.split('/').map(Number);
    policies[name] = { limit, windowSeconds };
  }
  return {
    enabled: env.RATE_LIMIT_ENABLED,
    defaultPolicy: { limit: env.RATE_LIMIT_LIMIT, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS },
    policies,
    preAuth: { limit: env.RATE_LIMIT_PRE_AUTH_LIMIT, windowSeconds: env.RATE_LIMIT_PRE_AUTH_WINDOW_SECONDS },
    failMode: env.RATE_LIMIT_FAIL_MODE,
    redisKeyPrefix: env.RATE_LIMIT_REDIS_KEY_PREFIX ?? `${env.SERVICE_NAME}:rate-limit:`,
    redisTimeoutSeconds: env.RATE_LIMIT_REDIS_TIMEOUT_SECONDS,
  };
}

function databaseConfig(env: Env): DatabaseConfig {
  const isSqlite = env.DATABASE_URL.startsWith('sqlite:');
  return {
    type: isSqlite ? 'sqlite' : 'postgres',
    url: env.DATABASE_URL,
    sqlitePath: isSqlite ? env.DATABASE_URL.slice('sqlite:'.length) || ':memory:' : undefined,
    poolSize: env.DATABASE_POOL_SIZE,
    connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
    statementTimeoutSeconds: env.DATABASE_STATEMENT_TIMEOUT_SECONDS,
    idleTimeoutSeconds: env.DATABASE_IDLE_TIMEOUT_SECONDS,
    ssl: env.DATABASE_SSL,
    sslCa: readPemOrFile(env.DATABASE_SSL_CA),
    // Development applies migrations on start; production runs them as a separate step.
    migrationsRun: env.DATABASE_MIGRATIONS_RUN ?? env.NODE_ENV !== 'production',
    logging: env.DATABASE_LOGGING,
  };
}

/**
 * The authentication settings. The mode follows from which key setting is
 * given; none means the development secret (production refuses that before
 * this runs). A static public key is parsed here so a bad one stops the boot.
 *
 * @throws ConfigValidationError for an unreadable key or one that cannot verify the algorithms.
 */
function authConfig(env: Env): AuthConfig {
  const [given] = keySettingsGiven(env);
  const mode = given === 'AUTH_JWKS_URI' ? 'jwks' : given === 'AUTH_JWT_PUBLIC_KEY' ? 'public-key' : 'secret';
  const publicKeyPem = mode === 'public-key' ? loadPublicKeyPem(env) : undefined;
  return {
    mode,
    secret: mode === 'secret' ? (env.AUTH_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET) : undefined,
    usesDevelopmentSecret: mode === 'secret' && env.AUTH_JWT_SECRET === undefined,
    publicKeyPem,
    jwksUri: env.AUTH_JWKS_URI,
    algorithms: env.AUTH_JWT_ALGORITHMS ?? defaultAlgorithms(mode, publicKeyPem),
    issuers: env.AUTH_JWT_ISSUER,
    audiences: env.AUTH_JWT_AUDIENCE,
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
    rolesClaim: env.AUTH_ROLES_CLAIM,
    maxTokenBytes: env.AUTH_MAX_TOKEN_BYTES,
    verifiedTokenCacheSize: env.AUTH_VERIFIED_TOKEN_CACHE_SIZE,
    jwks: {
      cacheTtlSeconds: env.AUTH_JWKS_CACHE_TTL_SECONDS,
      cooldownSeconds: env.AUTH_JWKS_COOLDOWN_SECONDS,
      requestsPerMinute: env.AUTH_JWKS_REQUESTS_PER_MINUTE,
      gracePeriodSeconds: env.AUTH_JWKS_GRACE_PERIOD_SECONDS,
      timeoutSeconds: env.AUTH_JWKS_TIMEOUT_SECONDS,
      maxBytes: env.AUTH_JWKS_MAX_BYTES,
    },
  };
}

/** HS256 for a secret, RS256 for JWKS (what most providers sign with), the key's own for a static key. */
function defaultAlgorithms(mode: AuthConfig['mode'], publicKeyPem: string | undefined): JwtAlgorithm[] {
  if (mode === 'secret') return ['HS256'];
  if (mode === 'jwks' || !publicKeyPem) return ['RS256'];
  const algorithm = defaultAlgorithmForKey(parsePublicKey(publicKeyPem));
  if (!algorithm)
    throw new ConfigValidationError(['AUTH_JWT_PUBLIC_KEY: unsupported key type (use an RSA, a P-256/384/521 EC or an Ed25519 key)']);
  return [algorithm];
}

function loadPublicKeyPem(env: Env): string {
  let pem: string;
  try {
    pem = readPemOrFile(env.AUTH_JWT_PUBLIC_KEY) ?? '';
  } catch (error) {
    throw new ConfigValidationError([
      `AUTH_JWT_PUBLIC_KEY: cannot read the key file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  let key;
  try {
    key = parsePublicKey(pem);
  } catch (error) {
    throw new ConfigValidationError([
      `AUTH_JWT_PUBLIC_KEY: ${(error as Error).message.startsWith('is a') ? (error as Error).message : 'is not a PEM public key or certificate'}`,
    ]);
  }
  const unfit = (env.AUTH_JWT_ALGORITHMS ?? []).filter((algorithm) => !keySupportsAlgorithm(key, algorithm));
  if (unfit.length > 0) {
    throw new ConfigValidationError([`AUTH_JWT_ALGORITHMS: ${unfit.join(', ')} cannot be verified with this ${key.asymmetricKeyType} key`]);
  }
  return pem;
}

function cacheConfig(env: Env): CacheConfig {
  return {
    ttlSeconds: env.CACHE_TTL_SECONDS,
    maxItems: env.CACHE_MAX_ITEMS,
    // Per service and environment, and distinct from the rate limiter's `...:ratelimit:`.
    keyPrefix: env.CACHE_KEY_PREFIX ?? `${env.SERVICE_NAME}:${env.NODE_ENV}:cache:`,
    operationTimeoutSeconds: env.CACHE_OPERATION_TIMEOUT_SECONDS,
    critical: env.CACHE_CRITICAL,
    respectNoCache: env.CACHE_RESPECT_NO_CACHE,
  };
}

/** Accepts PEM text or a path to a PEM file. */
export function readPemOrFile(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

let cachedVersion: string | undefined;

/**
 * The service version from the nearest package.json above this file (read
 * once). Walking up works from `src/` under ts-jest and from `dist/src/` in
 * the image alike.
 */
function packageVersion(): string {
  if (cachedVersion === undefined) {
    let dir = __dirname;
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    const raw = readFileSync(join(dir, 'package.json'), 'utf8');
    cachedVersion = (JSON.parse(raw) as { version: string }).version;
  }
  return cachedVersion;
}
