/**
 * The typed configuration every part of the chassis reads. Built once at boot
 * by {@link loadConfig} from the environment; never read `process.env` elsewhere.
 *
 * Units are in the names: `...Seconds` are seconds, `...Ms` milliseconds,
 * `...Bytes` bytes.
 */
export interface AppConfig {
  app: {
    env: 'development' | 'test' | 'production';
    isProduction: boolean;
    host: string;
    port: number;
    serviceName: string;
    version: string;
  };
  logging: {
    level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    format: 'json' | 'pretty';
  };
  database: DatabaseConfig;
  http: {
    /** Largest accepted request body, in bytes (default 1 MiB). */
    bodyLimitBytes: number;
  };
  redis: {
    /** Unset: zero-infrastructure mode, every store in memory. */
    url?: string;
    connectTimeoutSeconds: number;
  };
  cache: CacheConfig;
  openApi: {
    enabled: boolean;
    /** Swagger UI path; the document is served at `/openapi.json`. */
    path: string;
  };
}

/** Database settings, resolved from `DATABASE_URL` and `DATABASE_*`. */
export interface DatabaseConfig {
  type: 'sqlite' | 'postgres';
  /** The URL as given (may contain a password: never log it). */
  url: string;
  /** SQLite only: the file path, or `:memory:`. */
  sqlitePath?: string;
  poolSize: number;
  connectTimeoutSeconds: number;
  /** 0 disables the PostgreSQL `statement_timeout`. */
  statementTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  ssl: 'disable' | 'require' | 'verify-full';
  /** PEM text of the CA for `verify-full`, if not the system store. */
  sslCa?: string;
  migrationsRun: boolean;
  logging: boolean;
}

/** Cache settings, from `CACHE_*` (see docs/caching.md). */
export interface CacheConfig {
  /** Default time to live of an entry, in seconds. */
  ttlSeconds: number;
  /** Memory store only: entries kept before the least recently used is evicted. */
  maxItems: number;
  /** Prefix of every cache key in Redis, e.g. `nest-chassis:production:cache:`. */
  keyPrefix: string;
  /** Bound on every single cache call (a Redis round trip), in seconds (decimals allowed). */
  operationTimeoutSeconds: number;
  /** When true, an unreachable cache makes the service not ready. */
  critical: boolean;
  /** Honour a client's `Cache-Control: no-cache` in `@CacheResponse()` routes. */
  respectNoCache: boolean;
}
