import type { JwtAlgorithm } from './auth-settings';
import type { TrustProxy } from './trust-proxy';

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
  http: HttpConfig;
  cors: CorsConfig;
  security: {
    hsts: {
      /** Sent only on HTTPS requests (directly or via a trusted proxy). */
      enabled: boolean;
      maxAgeSeconds: number;
      includeSubDomains: boolean;
      preload: boolean;
    };
  };
  rateLimit: RateLimitConfig;
  redis: {
    /** Unset: zero-infrastructure mode, every store in memory. */
    url?: string;
    connectTimeoutSeconds: number;
  };
  cache: CacheConfig;
  idempotency: IdempotencyConfig;
  conditional: {
    /** Writes to `@VersionedResource()` routes without If-Match get 428. */
    requireIfMatch: boolean;
  };
  openApi: {
    enabled: boolean;
    /** Swagger UI path; the document is served at `/openapi.json`. */
    path: string;
  };
  auth: AuthConfig;
  metrics: MetricsConfig;
  tracing: TracingConfig;
  health: HealthConfig;
  shutdown: ShutdownConfig;
}

/**
 * Bearer-token (JWT) validation settings, from `AUTH_*` (docs/authentication.md).
 * Exactly one of `secret`, `publicKeyPem`, `jwksUri` is set, as `mode` says.
 */
export interface AuthConfig {
  mode: 'secret' | 'public-key' | 'jwks';
  /** Shared HMAC secret (secret mode). Never log it. */
  secret?: string;
  /** True when `secret` is the built-in development secret (refused in production). */
  usesDevelopmentSecret: boolean;
  /** PEM text of the static public key or certificate (public-key mode). */
  publicKeyPem?: string;
  /** Where the identity provider publishes its keys (jwks mode). */
  jwksUri?: string;
  /** Accepted `alg` values, all of one family. */
  algorithms: JwtAlgorithm[];
  /** Accepted `iss` values; undefined: not checked (refused in production). */
  issuers?: string[];
  /** Accepted `aud` values (any one must match); undefined: not checked (refused in production). */
  audiences?: string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. */
  clockToleranceSeconds: number;
  /** Claim holding the roles: a top-level name, or a dot path such as `realm_access.roles`. */
  rolesClaim: string;
  /** Longer bearer tokens are refused before any parsing. */
  maxTokenBytes: number;
  /** Entries of the verified-token cache; 0 disables it. */
  verifiedTokenCacheSize: number;
  jwks: {
    /** How long a fetched key set is trusted before it is refetched. */
    cacheTtlSeconds: number;
    /** Minimum time between two fetches (an unknown `kid`, a failed fetch). */
    cooldownSeconds: number;
    /** Hard cap on fetches in any 60-second window. */
    requestsPerMinute: number;
    /** How long past its TTL the last good key set is still used while the provider is unreachable. */
    gracePeriodSeconds: number;
    /** Total deadline of a fetch (connect, headers and body), in seconds; default 5. */
    timeoutSeconds: number;
    /** Largest accepted JWKS body, in bytes (default 1 MiB); a larger answer is a failed fetch. */
    maxBytes: number;
  };
}

/** The request pipeline's server-level settings (docs/request-pipeline.md). */
export interface HttpConfig {
  /** Largest accepted request body, in bytes (default 1 MiB). */
  bodyLimitBytes: number;
  /** Fastify `trustProxy`: off, or the proxies' addresses/CIDRs (never `true`, never a hop count). */
  trustProxy: TrustProxy;
  /** Lower-case host names served (`.example.com` matches subdomains); empty: any host. */
  allowedHosts: string[];
  /** Handler timeout (503 problem, `request.signal` aborted); 0 = none. */
  requestTimeoutSeconds: number;
  keepAliveTimeoutSeconds: number;
  headersTimeoutSeconds: number;
  compression: { enabled: boolean; thresholdBytes: number };
  /** Structural limits on a parsed JSON body, checked before validation (docs/request-pipeline.md). */
  json: JsonLimits;
}

/** Limits on a JSON body's shape: the work validation does grows with them, not only with the byte count. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays (the top-level value is depth 1). */
  maxDepth: number;
  /** Most members in one object. */
  maxKeysPerObject: number;
  /** Most elements in one array. */
  maxArrayLength: number;
  /** Most values of any kind in the body, containers included. */
  maxValues: number;
  /** Most UTF-8 bytes of all strings in the body, member names included. */
  maxStringBytes: number;
}

/** CORS (`@fastify/cors`); `origins` empty means CORS is off. */
export interface CorsConfig {
  origins: string[];
  methods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  credentials: boolean;
  maxAgeSeconds: number;
}

/** One rate-limit policy: `limit` requests per `windowSeconds`, per client. */
export interface RateLimitPolicyConfig {
  limit: number;
  windowSeconds: number;
}

/** Rate limiting (docs/rate-limiting.md). */
export interface RateLimitConfig {
  enabled: boolean;
  /** The policy every route gets unless it names another. */
  defaultPolicy: RateLimitPolicyConfig;
  /** Named policies, chosen per route with `@RateLimitPolicy(name)`. */
  policies: Record<string, RateLimitPolicyConfig>;
  /** Per client address and replica, before authentication; `limit` 0 = off. */
  preAuth: RateLimitPolicyConfig;
  failMode: 'open' | 'closed';
  redisKeyPrefix: string;
  redisTimeoutSeconds: number;
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

/** Idempotency-key settings, from `IDEMPOTENCY_*` (see docs/safe-writes.md). */
export interface IdempotencyConfig {
  /** How long a completed response is replayed, in seconds. */
  ttlSeconds: number;
  /** When the Redis store fails: `closed` answers 503, `open` runs the handler without the guarantee. */
  failMode: 'open' | 'closed';
  /** Bound on every Redis call of the store, in seconds (decimals allowed). */
  redisTimeoutSeconds: number;
  /** Records kept by the in-memory store (no `REDIS_URL`). */
  memoryMaxEntries: number;
  /** Prefix of every record's key in Redis, e.g. `nest-chassis:production:idempotency:`. */
  keyPrefix: string;
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
