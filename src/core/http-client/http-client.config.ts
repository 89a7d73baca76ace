import { z } from 'zod';
import { envInt, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';
import type { UpstreamSettings } from './upstream-settings';

/**
 * The outbound HTTP client's defaults (docs/outbound-http.md), `config.httpClient`.
 * Each named upstream (`UPSTREAM_<NAME>_URL`, read by `namedUpstreams`)
 * takes these unless it sets its own `UPSTREAM_<NAME>_…` value.
 */
export const httpClientSettings = z
  .object({
    /** Seconds to open a connection to an upstream (TCP and TLS) before the attempt fails as a connect timeout; decimals allowed. */
    HTTP_CLIENT_CONNECT_TIMEOUT_SECONDS: envNumber(0.01, 60).default(2),
    /** Seconds one attempt may take, from sending (queued for a connection included) to the last byte of the answer's body (a stream: to its headers); decimals allowed. */
    HTTP_CLIENT_TIMEOUT_SECONDS: envNumber(0.01, 600).default(10),
    /** Largest answer body the client reads into memory, in bytes (default 10 MiB); a larger one fails the call (502). Streams are not limited. */
    HTTP_CLIENT_MAX_RESPONSE_BYTES: envInt(1, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
    /** Retries after the first attempt, for idempotent methods and requests with an `Idempotency-Key` only. */
    HTTP_CLIENT_RETRIES: envInt(0, 10).default(2),
    /** Most connections open to one upstream at a time (the pool's bound); further calls queue. */
    HTTP_CLIENT_CONNECTIONS: envInt(1, 1024).default(32),
    /** Longest `Retry-After` the client waits for before a retry, in seconds; a longer one ends the retries. */
    HTTP_CLIENT_RETRY_AFTER_MAX_SECONDS: envNumber(0, 300).default(10),
  })
  .transform((env) => ({
    defaults: {
      connectTimeoutSeconds: env.HTTP_CLIENT_CONNECT_TIMEOUT_SECONDS,
      timeoutSeconds: env.HTTP_CLIENT_TIMEOUT_SECONDS,
      retries: env.HTTP_CLIENT_RETRIES,
      connections: env.HTTP_CLIENT_CONNECTIONS,
      maxResponseBytes: env.HTTP_CLIENT_MAX_RESPONSE_BYTES,
    },
    retryAfterMaxSeconds: env.HTTP_CLIENT_RETRY_AFTER_MAX_SECONDS,
    /** The named upstreams by lower-case name; filled by `loadConfig` from the `UPSTREAM_<NAME>_*` variables. */
    upstreams: {} as Readonly<Record<string, UpstreamSettings>>,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    httpClient: SliceOf<typeof httpClientSettings>;
  }
}
