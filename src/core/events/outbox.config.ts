import { z } from 'zod';
import { envInt, envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Domain events and the transactional outbox (docs/jobs.md#domain-events-and-the-outbox), `config.outbox`. */
export const outboxSettings = z
  .object({
    /** Seconds between two runs of the outbox relay's schedule (once per cluster); a commit also nudges its own process's relay. */
    OUTBOX_RELAY_INTERVAL_SECONDS: envNumber(0.1, 3600).default(5),
    /** Seconds a commit's nudge waits before its process's relay runs; the commits within it share that one run (0: at once). */
    OUTBOX_RELAY_NUDGE_DELAY_SECONDS: envNumber(0, 1).default(0.02),
    /** Outbox rows the relay moves to the queue in one run (one short transaction). */
    OUTBOX_BATCH_SIZE: envInt(1, 10_000).default(100),
    /** Hours published outbox rows and processed-event records are kept before the housekeeping schedule deletes them. */
    OUTBOX_RETENTION_HOURS: envNumber(1, 24 * 365).default(7 * 24),
  })
  .transform((env) => ({
    relayIntervalSeconds: env.OUTBOX_RELAY_INTERVAL_SECONDS,
    relayNudgeDelaySeconds: env.OUTBOX_RELAY_NUDGE_DELAY_SECONDS,
    batchSize: env.OUTBOX_BATCH_SIZE,
    retentionHours: env.OUTBOX_RETENTION_HOURS,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    outbox: SliceOf<typeof outboxSettings>;
  }
}
