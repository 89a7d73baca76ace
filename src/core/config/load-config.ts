import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import type { AppConfig, DatabaseConfig } from './app-config';
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
    http: { bodyLimitBytes: env.BODY_LIMIT_BYTES },
    redis: { url: env.REDIS_URL, connectTimeoutSeconds: env.REDIS_CONNECT_TIMEOUT_SECONDS },
    openApi: {
      enabled: env.OPENAPI_ENABLED ?? env.NODE_ENV !== 'production',
      path: env.OPENAPI_PATH,
    },
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
  const refused = insecureSettings(parsed.data);
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
