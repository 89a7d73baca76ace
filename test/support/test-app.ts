import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../src/app.module';
import { createApp } from '../../src/core/bootstrap/create-app';
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

export interface BootOptions {
  /**
   * Test-only modules booted beside `AppModule` (e.g. a controller that
   * throws, to test the 500 path). The app is otherwise exactly `src/app.ts`'s.
   */
  imports?: (Type | DynamicModule)[];
}

/**
 * Boots the real app through `createApp` — the builder `main.ts` uses — on a
 * fresh database, with log lines captured. Requests go through Fastify's
 * `inject`, which runs every hook, guard, pipe and filter a socket would.
 */
export async function bootTestApp(env: Record<string, string> = {}, options: BootOptions = {}): Promise<TestApp> {
  const merged = { ...baseTestEnv(), ...env };
  await resetTestDatabase(merged.DATABASE_URL);
  const logs = new LogCapture();
  const root = (core: Parameters<typeof AppModule.register>[0]): DynamicModule => ({
    module: class TestRootModule {},
    imports: [AppModule.register(core), ...(options.imports ?? [])],
  });
  const app = await createApp(root, { env: merged, logDestination: logs });
  await app.getHttpAdapter().getInstance().ready();
  return { app, logs, close: () => app.close() };
}
