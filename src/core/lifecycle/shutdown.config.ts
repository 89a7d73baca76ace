import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envNumber } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Graceful shutdown (docs/shutdown.md), `config.shutdown`. */
export const shutdownSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    /** Time between the signal and closing the listener, while readiness reports 503. Default: 5 in production, else 0. */
    SHUTDOWN_DELAY_SECONDS: envNumber(0, 300).optional(),
    /** Time allowed for in-flight requests and resource closing before a forced exit. */
    SHUTDOWN_TIMEOUT_SECONDS: envNumber(1, 600).default(20),
  })
  .transform((env) => ({
    // Load balancers need a few seconds to stop routing to a pod that is going away;
    // a developer pressing Ctrl-C does not.
    delaySeconds: env.SHUTDOWN_DELAY_SECONDS ?? (env.NODE_ENV === 'production' ? 5 : 0),
    timeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    shutdown: SliceOf<typeof shutdownSettings>;
  }
}
