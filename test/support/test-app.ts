import { type DynamicModule, Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app';
import { AppModule } from '../../src/app.module';
import { createApp as createChassisApp } from '../../src/core/bootstrap/create-app';
import { LogCapture } from './log-capture';
import { resetTestDatabase, testDatabaseUrl } from './test-database';

/** The environment every e2e suite starts from; a suite overrides what it tests. */
export function baseTestEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DATABASE_URL: testDatabaseUrl(),
  };
}

export interface TestApp {
  app: NestFastifyApplication;
  logs: LogCapture;
  close(): Promise<void>;
}

/** Test-only modules (controllers, guards) booted beside `AppModule`, never part of `src`. */
export type TestImports = Array<Type | DynamicModule>;

/** The root of a test app with test-only modules: `AppModule` plus those modules. */
@Module({})
class TestRootModule {}

/**
 * Boots the real app through `createApp` — the builder `main.ts` uses — on a
 * fresh database, with log lines captured. Requests go through Fastify's
 * `inject`, which runs every hook, guard, pipe and filter a socket would.
 * `imports` adds test-only modules next to `AppModule`.
 */
export async function bootTestApp(env: Record<string, string> = {}, imports: TestImports = []): Promise<TestApp> {
  const merged = { ...baseTestEnv(), ...env };
  await resetTestDatabase(merged.DATABASE_URL);
  const logs = new LogCapture();
  const overrides = { env: merged, logDestination: logs };
  const app =
    imports.length === 0
      ? await createApp(overrides)
      : await createChassisApp((options) => ({ module: TestRootModule, imports: [AppModule.register(options), ...imports] }), overrides);
  await app.getHttpAdapter().getInstance().ready();
  return { app, logs, close: () => app.close() };
}
