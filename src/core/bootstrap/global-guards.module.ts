import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { GLOBAL_GUARDS } from './pipeline';

/**
 * Registers the global guards of {@link GLOBAL_GUARDS} as `APP_GUARD`s, in
 * that list's order: Nest runs `APP_GUARD`s in the order they are registered,
 * so the order is written in the pipeline, not left to the order modules are
 * imported in. The guards themselves are providers of their own modules.
 */
@Module({
  imports: [AuthModule, RateLimitModule],
  providers: GLOBAL_GUARDS.map(({ guard }) => ({ provide: APP_GUARD, useExisting: guard })),
})
export class GlobalGuardsModule {}
