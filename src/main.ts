import { createApp } from './app';
import { readDotEnv } from './core/config/dot-env';
import { ConfigValidationError } from './core/config/config.error';
import { APP_CONFIG } from './core/config/config.tokens';
import type { AppConfig } from './core/config/app-config';

/**
 * Process entry point: build the app, listen. Everything else is in `createApp`.
 * A `.env` file, if present, fills in variables the environment does not set.
 */
async function main(): Promise<void> {
  const app = await createApp({ env: { ...readDotEnv(), ...process.env } });
  app.enableShutdownHooks();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen({ host: config.app.host, port: config.app.port });
}

main().catch((error: unknown) => {
  // Configuration errors are expected operator mistakes: print the list, no stack.
  const message =
    error instanceof ConfigValidationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
