import { Module, type DynamicModule, type Type } from '@nestjs/common';
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

/** Test-only modules around the real AppModule (never in src). */
export interface TestAppOptions {
  /** Imported before AppModule: their APP_GUARDs run before the chassis's (e.g. a stand-in authentication guard). */
  before?: (Type | DynamicModule)[];
  /** Imported after AppModule (e.g. a controller exercising a pipeline layer). */
  after?: (Type | DynamicModule)[];
}

@Module({})
class TestRootModule {}

/** The same chassis builder as `src/app.ts`, with test modules around AppModule. */
function createWithTestModules(overrides: Parameters<typeof createApp>[0], options: TestAppOptions): Promise<NestFastifyApplication> {
  return createChassisApp(
    (root) => ({ module: TestRootModule, imports: [...(options.before ?? []), AppModule.register(root), ...(options.after ?? [])] }),
    overrides,
  );
}

/**
 * Boots the real app through `createApp` — the builder `main.ts` uses — on a
 * fresh database, with log lines captured. Requests go through Fastify's
 * `inject`, which runs every hook, guard, pipe and filter a socket would.
 */
export async function bootTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const merged = { ...baseTestEnv(), ...env };
  await resetTestDatabase(merged.DATABASE_URL);
  const logs = new LogCapture();
  const overrides = { env: merged, logDestination: logs };
  const app = options.before || options.after ? await createWithTestModules(overrides, options) : await createApp(overrides);
  await app.getHttpAdapter().getInstance().ready();
  return { app, logs, close: () => app.close() };
}
