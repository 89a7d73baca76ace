import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { createChassisApp } from './core/bootstrap/create-chassis-app';
import type { AppOverrides } from './core/bootstrap/app-overrides';

/**
 * Builds this service's application: the chassis builder applied to
 * `AppModule`. `main.ts` and every e2e test call this.
 */
export function createApp(overrides?: AppOverrides): Promise<NestFastifyApplication> {
  return createChassisApp((options) => AppModule.register(options), overrides);
}
