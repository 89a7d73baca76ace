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
