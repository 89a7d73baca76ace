import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { migrationsAtBoot } from '../database/run-migrations';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { installGracefulShutdown } from './graceful-shutdown';
import { readyLine } from './ready-line';

/**
 * Runs the app as the process's server: installs the graceful shutdown
 * (SIGTERM/SIGINT, see `graceful-shutdown.ts`), then listens on `HOST:PORT`
 * and logs the ready line (`ready-line.ts`): where it listens, the database,
 * the migrations, the optional services.
 * `main.ts` calls `createApp` then this; nothing else.
 */
export async function serve(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  installGracefulShutdown(app, config.shutdown);
  await app.listen({ host: config.app.host, port: config.app.port });
  const { msg, ready } = readyLine(await app.getUrl(), config, migrationsAtBoot(app.get(DataSource)));
  app.get<Logger>(ROOT_LOGGER).info({ ready }, msg);
}
