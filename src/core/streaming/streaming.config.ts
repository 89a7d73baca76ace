import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envInt, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Server-Sent Events routes (docs/streaming.md), `config.streaming`. */
export const streamingSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    SERVICE_NAME: APP_IDENTITY.SERVICE_NAME,
    /** Interval between `: keep-alive` comment lines on an open stream; keep it below every proxy's idle timeout. */
    SSE_HEARTBEAT_SECONDS: envNumber(0.05, 300).default(15),
    /** Longest a stream stays open; it then ends with a `reconnect` event. A route's `maxDurationSeconds` may only be shorter. */
    SSE_MAX_DURATION_SECONDS: envNumber(1, 86_400).default(1800),
    /** Open streams one principal may hold (across every replica with `REDIS_URL`); one more is a 429 problem with `Retry-After`. */
    SSE_MAX_STREAMS_PER_PRINCIPAL: envInt(1, 10_000).default(5),
    /** Reconnection delay sent as `retry:` with the final `reconnect` event (max duration, shutdown), in seconds. */
    SSE_RETRY_SECONDS: envNumber(0, 600).default(2),
    /** Lifetime of a stream ticket (`POST /streams/tickets`), in seconds. */
    SSE_TICKET_TTL_SECONDS: envInt(1, 300).default(30),
  })
  .transform((env) => ({
    heartbeatSeconds: env.SSE_HEARTBEAT_SECONDS,
    maxDurationSeconds: env.SSE_MAX_DURATION_SECONDS,
    maxStreamsPerPrincipal: env.SSE_MAX_STREAMS_PER_PRINCIPAL,
    retrySeconds: env.SSE_RETRY_SECONDS,
    ticketTtlSeconds: env.SSE_TICKET_TTL_SECONDS,
    /** Prefix of the stream tickets' keys in Redis. */
    ticketKeyPrefix: `${env.SERVICE_NAME}:${env.NODE_ENV}:stream-ticket:`,
    /** Prefix of the per-caller stream leases' keys in Redis (the limit across replicas). */
    placesKeyPrefix: `${env.SERVICE_NAME}:${env.NODE_ENV}:stream-places:`,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    streaming: SliceOf<typeof streamingSettings>;
  }
}
