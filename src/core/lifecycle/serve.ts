import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { installGracefulShutdown } from './graceful-shutdown';

/**
 * Runs the app as the process's server: installs the graceful shutdown
 * (SIGTERM/SIGINT, see `graceful-shutdown.ts`), then listens on `HOST:PORT`.
 * `main.ts` calls `createApp` then this; nothing else.
 */
export async function serve(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  installGracefulShutdown(app, config.shutdown);
  await app.listen({ host: config.app.host, port: config.app.port });
}
