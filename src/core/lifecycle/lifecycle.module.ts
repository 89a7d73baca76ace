import { Global, Module } from '@nestjs/common';
import { LifecycleState } from './lifecycle-state';

/** Provides {@link LifecycleState}; the shutdown sequence itself is `serve()` (see `serve.ts`). */
@Global()
@Module({ providers: [LifecycleState], exports: [LifecycleState] })
export class LifecycleModule {}
