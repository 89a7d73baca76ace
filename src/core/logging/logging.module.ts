import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from './logging.tokens';
import { pinoParams } from './pino-options';

/**
 * Structured logging through nestjs-pino, on the app's root pino logger
 * (created by `createApp` because Fastify needs it before Nest starts).
 * Exports {@link ROOT_LOGGER} for the shutdown sequence, which flushes it.
 */
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [LoggerModule.forRoot(pinoParams(logger))],
      providers: [{ provide: ROOT_LOGGER, useValue: logger }],
      exports: [ROOT_LOGGER],
    };
  }
}
