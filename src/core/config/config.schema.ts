import { z } from 'zod';
import { envBoolean, envInt, envNumber } from './env';

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

/** Every block merged: the full set of variables the chassis reads. */
export const envSchema = appEnvSchema
  .extend(loggingEnvSchema.shape)
  .extend(databaseEnvSchema.shape)
  .extend(httpEnvSchema.shape)
  .extend(openApiEnvSchema.shape)
  .extend(redisEnvSchema.shape)
  .extend(cacheEnvSchema.shape);

export type Env = z.infer<typeof envSchema>;
