import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import type { AppConfig } from './app-config';
import { APP_CONFIG } from './config.tokens';

/**
 * Provides the already-validated {@link AppConfig} to the whole app.
 *
 * Validation happens in `createApp` before Nest starts, so a bad environment
 * never gets as far as building modules. `@nestjs/config`'s `ConfigService` is
 * registered too (fed the same object, never `process.env`) for libraries and
 * code that expect it: `configService.get('database.type')`.
 */
@Global()
@Module({})
export class ChassisConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ChassisConfigModule,
      imports: [
        NestConfigModule.forRoot({
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ ...config })],
        }),
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG, NestConfigModule],
    };
  }
}
