import { z } from 'zod';
import { JWT_ALGORITHMS } from './auth-settings';
import { envBoolean, envInt, envList } from './env';

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
});

/** Every block merged: the full set of variables the chassis reads. */
export const envSchema = appEnvSchema
  .extend(loggingEnvSchema.shape)
  .extend(databaseEnvSchema.shape)
  .extend(httpEnvSchema.shape)
  .extend(openApiEnvSchema.shape)
  .extend(redisEnvSchema.shape)
  .extend(authEnvSchema.shape);

export type Env = z.infer<typeof envSchema>;
