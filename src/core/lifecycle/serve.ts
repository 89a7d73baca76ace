import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as PinoLogger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { migrationsAtBoot } from '../database/run-migrations';
import { flushLogs } from '../logging/root-logger';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { installGracefulShutdown } from './graceful-shutdown';
import { readyLine } from './ready-line';
import { StartupError } from '../config/startup.error';
import { listenFaultHint } from './listen-fault';

/**
 * Runs the app as the process's server: installs the graceful shutdown
 * (SIGTERM/SIGINT, see `graceful-shutdown.ts`), then listens on `HOST:PORT`
 * and logs the ready line (`ready-line.ts`): where it listens, the database,
 * the migrations, the optional services.
 * `main.ts` calls `createApp` then this; nothing else.
 *
 * @throws StartupError when the address cannot be bound (port in use, no
 *   permission, unknown host address), after logging one fatal line that names
 *   `PORT`/`HOST`.
 */
export async function serve(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  installGracefulShutdown(app, config.shutdown);
  const { host, port } = config.app;
  try {
    await app.listen({ host, port });
  } catch (error) {
    const fault = listenFaultHint(error);
    if (!fault) throw error;
    const message = `Cannot listen on ${host}:${port}: ${fault.hint}`;
    new Logger('Startup').fatal({ host, port, code: fault.code }, message);
    flushLogs(app.get<PinoLogger>(ROOT_LOGGER));
    throw new StartupError(message);
  }
  const { msg, ready } = readyLine(await app.getUrl(), config, migrationsAtBoot(app.get(DataSource)));
  app.get<PinoLogger>(ROOT_LOGGER).info({ ready }, msg);
}
