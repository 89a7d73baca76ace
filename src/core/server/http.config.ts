import { z } from 'zod';
import { envBoolean, envInt, envList } from '../config/env';
import { trustProxyValue } from '../config/trust-proxy';
import type { SliceOf } from '../config/settings-block';

/** The request pipeline's server-level settings (docs/request-pipeline.md), `config.http`. */
export const httpSettings = z
  .object({
    /** Largest accepted request body, in bytes (default 1 MiB). */
    BODY_LIMIT_BYTES: envInt(1024, 100 * 1024 * 1024).default(1024 * 1024),
    /** Fastify `handlerTimeout`: a 503 problem and `request.signal` aborted after this long. 0 = no timeout. */
    REQUEST_TIMEOUT_SECONDS: envInt(0, 3600).default(30),
    /** Idle keep-alive connections are closed after this; keep it above the load balancer's idle timeout. */
    KEEP_ALIVE_TIMEOUT_SECONDS: envInt(1, 3600).default(65),
    /** Time a client has to send the request headers (slow-loris protection). */
    HEADERS_TIMEOUT_SECONDS: envInt(1, 3600).default(20),
    COMPRESSION_ENABLED: envBoolean().default(true),
    COMPRESSION_THRESHOLD_BYTES: envInt(0, 10 * 1024 * 1024).default(1024),
    /** Deepest nesting of objects/arrays in a JSON body, the top-level value being depth 1 (400 past it); deep bodies overflow recursive validators. */
    JSON_MAX_DEPTH: envInt(1, 256).default(32),
    /** Most members in one JSON object (413 past it); DTO whitelisting is quadratic in the key count. */
    JSON_MAX_KEYS_PER_OBJECT: envInt(1, 100_000).default(500),
    /** Most elements in one JSON array (413 past it). */
    JSON_MAX_ARRAY_LENGTH: envInt(1, 10_000_000).default(250),
    /** Most values (objects, arrays, strings, numbers, booleans, nulls) in a JSON body (413 past it); transformation works per value (see docs/performance.md#json-limits). */
    JSON_MAX_VALUES: envInt(1, 10_000_000).default(2500),
    /** Most UTF-8 bytes of all strings in a JSON body, keys included (413 past it). */
    JSON_MAX_STRING_BYTES: envInt(1, 100 * 1024 * 1024).default(512 * 1024),
    /** Fastify `trustProxy`: off (default) or a comma-separated list of the proxies' addresses/CIDRs. `true` and hop counts are refused. */
    TRUST_PROXY: z.string().trim().transform(trustProxyValue).optional(),
    /** Host names served, matched lower-case; `.example.com` also matches subdomains. Unset: any host. */
    ALLOWED_HOSTS: envList()
      .pipe(
        z.array(
          z
            .string()
            .regex(/^\.?[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i, { message: 'must be host names such as api.example.com or .example.com' }),
        ),
      )
      .optional(),
  })
  .transform((env) => ({
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    trustProxy: env.TRUST_PROXY ?? false,
    allowedHosts: (env.ALLOWED_HOSTS ?? []).map((host) => host.toLowerCase()),
    requestTimeoutSeconds: env.REQUEST_TIMEOUT_SECONDS,
    keepAliveTimeoutSeconds: env.KEEP_ALIVE_TIMEOUT_SECONDS,
    headersTimeoutSeconds: env.HEADERS_TIMEOUT_SECONDS,
    compression: { enabled: env.COMPRESSION_ENABLED, thresholdBytes: env.COMPRESSION_THRESHOLD_BYTES },
    /** Structural limits on a parsed JSON body, checked before validation. */
    json: {
      maxDepth: env.JSON_MAX_DEPTH,
      maxKeysPerObject: env.JSON_MAX_KEYS_PER_OBJECT,
      maxArrayLength: env.JSON_MAX_ARRAY_LENGTH,
      maxValues: env.JSON_MAX_VALUES,
      maxStringBytes: env.JSON_MAX_STRING_BYTES,
    },
  }));

declare module '../config/app-config' {
  interface AppConfig {
    http: SliceOf<typeof httpSettings>;
  }
}
