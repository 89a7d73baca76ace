import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './app-config';
import { APP_CONFIG } from './config.tokens';
import type { FeatureSettings } from './feature-settings';
import { loadedFeatureSettings } from './loaded-feature-settings';

/**
 * Provides a feature's validated settings to its module, as `@nestjs/config`'s
 * `ConfigModule.forFeature(registerAs(...))` does:
 * `imports: [FeatureSettingsModule.forFeature(ordersSettings)]`.
 */
@Module({})
export class FeatureSettingsModule {
  static forFeature(settings: FeatureSettings): DynamicModule {
    return {
      module: FeatureSettingsModule,
      providers: [
        { provide: settings.KEY, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadedFeatureSettings(config, settings) },
      ],
      exports: [settings.KEY],
    };
  }
}
