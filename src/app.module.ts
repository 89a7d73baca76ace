import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, type CoreModuleOptions } from './core/core.module';
import { FeaturesModule } from './features/features.module';

/**
 * The root module: the sealed chassis and the features. Nothing else belongs
 * here — a feature registers itself in `features/features.module.ts`.
 */
@Module({})
export class AppModule {
  static register(options: CoreModuleOptions): DynamicModule {
    return { module: AppModule, imports: [CoreModule.forRoot(options), FeaturesModule] };
  }
}
