import { createApp } from './app';
import { readDotEnv } from './core/config/dot-env';
import { ConfigValidationError } from './core/config/config.error';
import { serve } from './core/lifecycle/serve';
import { StartupError } from './core/config/startup.error';

/**
 * Process entry point: build the app, serve it (listen, with graceful
 * shutdown on SIGTERM/SIGINT). Everything else is in `createApp`.
 * A `.env` file, if present, fills in variables the environment does not set.
 * Tracing, when enabled, was started before this file by `--require ./dist/src/instrumentation.js`.
 */
async function main(): Promise<void> {
  const app = await createApp({ env: { ...readDotEnv(), ...process.env } });
  await serve(app);
}

main().catch((error: unknown) => {
  // Already logged as one line in the chassis's format.
  if (error instanceof StartupError) process.exit(1);
  // Configuration errors are expected operator mistakes: print the list, no stack.
  const message =
    error instanceof ConfigValidationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
