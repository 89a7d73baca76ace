import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envBoolean, envInt, envNumber } from '../config/env';
import { readPemOrFile } from '../config/pem';
import type { SliceOf } from '../config/settings-block';

/** The database (docs/database.md), `config.database`, resolved from `DATABASE_URL` and `DATABASE_*`. */
export const databaseSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    /** `sqlite:<path>`, `sqlite::memory:` or `postgres://…`; the URL may hold a password: never log it. */
    DATABASE_URL: z
      .string()
      .trim()
      .refine((value) => /^(sqlite:|postgres(ql)?:\/\/)/.test(value), {
        message: 'must start with sqlite: or postgres:// (postgresql://)',
      })
      .default('sqlite:./data/app.sqlite'),
    DATABASE_POOL_SIZE: envInt(1, 200).default(10),
    DATABASE_CONNECT_TIMEOUT_SECONDS: envInt(1, 300).default(10),
    /** Boot only: attempts after the first failed connection (PostgreSQL); 0 fails at once. */
    DATABASE_CONNECT_RETRIES: envInt(0, 20).default(5),
    /** Boot only: delay before the first retry, in seconds, doubled for each next one. */
    DATABASE_CONNECT_RETRY_DELAY_SECONDS: envNumber(0.1, 60).default(1),
    /** Boot only: upper bound of one retry delay, in seconds. */
    DATABASE_CONNECT_RETRY_MAX_DELAY_SECONDS: envNumber(0.1, 300).default(15),
    /** PostgreSQL `statement_timeout`; 0 disables it. */
    DATABASE_STATEMENT_TIMEOUT_SECONDS: envInt(0, 3600).default(30),
    DATABASE_IDLE_TIMEOUT_SECONDS: envInt(1, 3600).default(30),
    DATABASE_SSL: z.enum(['disable', 'require', 'verify-full']).default('disable'),
    /** PEM text (or a file path) of the CA for `verify-full`, if not the system store. */
    DATABASE_SSL_CA: z.string().optional(),
    /** Apply pending migrations at boot. Default: on outside production (production runs them as a separate step). */
    DATABASE_MIGRATIONS_RUN: envBoolean().optional(),
    DATABASE_LOGGING: envBoolean().default(false),
    /** Refused in every environment (production-rules.ts): the schema changes by migrations only. */
    DATABASE_SYNCHRONIZE: envBoolean().default(false),
  })
  .transform((env) => {
    const isSqlite = env.DATABASE_URL.startsWith('sqlite:');
    return {
      type: isSqlite ? ('sqlite' as const) : ('postgres' as const),
      url: env.DATABASE_URL,
      /** SQLite only: the file path, or `:memory:`. */
      sqlitePath: isSqlite ? env.DATABASE_URL.slice('sqlite:'.length) || ':memory:' : undefined,
      poolSize: env.DATABASE_POOL_SIZE,
      connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
      /** The first connection at boot (`connect-retry.ts`); SQLite opens a file and is never retried. */
      connectRetry: {
        retries: isSqlite ? 0 : env.DATABASE_CONNECT_RETRIES,
        delaySeconds: env.DATABASE_CONNECT_RETRY_DELAY_SECONDS,
        maxDelaySeconds: env.DATABASE_CONNECT_RETRY_MAX_DELAY_SECONDS,
      },
      statementTimeoutSeconds: env.DATABASE_STATEMENT_TIMEOUT_SECONDS,
      idleTimeoutSeconds: env.DATABASE_IDLE_TIMEOUT_SECONDS,
      ssl: env.DATABASE_SSL,
      sslCa: readPemOrFile(env.DATABASE_SSL_CA),
      migrationsRun: env.DATABASE_MIGRATIONS_RUN ?? env.NODE_ENV !== 'production',
      logging: env.DATABASE_LOGGING,
    };
  });

declare module '../config/app-config' {
  interface AppConfig {
    database: SliceOf<typeof databaseSettings>;
  }
}
