import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { pinoParams } from './pino-options';

/**
 * Structured logging through nestjs-pino: an access-log line per request and
 * a request-scoped `PinoLogger` whose lines carry the request id.
 */
@Module({})
export class LoggingModule {
  /** @param destination where log lines go; stdout when omitted (tests pass a capture stream). */
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => pinoParams(config, destination),
        }),
      ],
    };
  }
}
