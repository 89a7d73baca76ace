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
    /** Extra redaction paths, on top of the credential headers always redacted. */
    redactPaths: string[];
    /** Keep query-string values in the access log (`false`: `?q=[redacted]`). */
    queryValues: boolean;
    /** Access-log `/health/*` and metrics requests too. */
    probeRequests: boolean;
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
  metrics: MetricsConfig;
  tracing: TracingConfig;
  health: HealthConfig;
  shutdown: ShutdownConfig;
}

/** Prometheus exposition, from `METRICS_*`. */
export interface MetricsConfig {
  enabled: boolean;
  /** Path of the scrape endpoint (default `/metrics`). */
  path: string;
  /** A separate listener for the scrape endpoint; `undefined`: the main server; `0`: any free port. */
  port?: number;
}

/** OpenTelemetry tracing, from the standard `OTEL_*` variables. */
export interface TracingConfig {
  enabled: boolean;
  serviceName: string;
  /** OTLP base URL; the exporter appends `/v1/traces` for the HTTP protocols. */
  endpoint: string;
  protocol: 'http/protobuf' | 'http/json' | 'grpc';
  sampler: 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';
  /** Sampling ratio in [0, 1] for the `*traceidratio` samplers. */
  samplerArg: number;
}

/** Health probes, from `HEALTH_*`. */
export interface HealthConfig {
  /** Show error messages and latencies in probe bodies. */
  details: boolean;
  /** Default time limit of one readiness check. */
  checkTimeoutSeconds: number;
  /** How long a readiness result is reused (0: never). */
  cacheSeconds: number;
  /** Redis down makes the service not ready (`false`: degraded only). */
  redisCritical: boolean;
}

/** Graceful shutdown, from `SHUTDOWN_*`. */
export interface ShutdownConfig {
  /** Time between the signal and closing the listener, while readiness reports 503. */
  delaySeconds: number;
  /** Time allowed for in-flight requests and resource closing before a forced exit. */
  timeoutSeconds: number;
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
