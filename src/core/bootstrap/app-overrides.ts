import type { DestinationStream } from 'pino';

/** What a caller of `createApp` may change. Tests use it; `main.ts` passes the process environment. */
export interface AppOverrides {
  /**
   * Environment variables, used instead of `process.env`. Tests pass a full
   * set so they never depend on the developer's shell.
   */
  env?: Record<string, string | undefined>;
  /** Where log lines go (default stdout). Tests pass a stream to assert on log lines. */
  logDestination?: DestinationStream;
}
