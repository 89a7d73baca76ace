import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app';
import { AppModule } from '../../src/app.module';
import { createApp as createChassisApp } from '../../src/core/bootstrap/create-app';
import type { AppConfig } from '../../src/core/config/app-config';
import { APP_CONFIG } from '../../src/core/config/config.tokens';
import { LogCapture } from './log-capture';
import { resetTestDatabase, testDatabaseUrl } from './test-database';
import { tokenSigner, type TokenSigner } from './tokens';

/** The environment every e2e suite starts from; a suite overrides what it tests. */
export function baseTestEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DATABASE_URL: testDatabaseUrl(),
  };
}

/**
 * A booted app. `token()` / `authHeader()` mint bearer tokens this app
 * accepts (its own secret, issuer and audience), e.g.
 * `t.authHeader({ sub: 'alice', scope: 'items:read items:write' })`.
 */
export interface TestApp extends TokenSigner {
  app: NestFastifyApplication;
  logs: LogCapture;
  close(): Promise<void>;
}

/** Test-only additions to the real app, e.g. a controller exercising a chassis decorator. */
export interface TestAppExtras {
  controllers?: Type[];
}

/** Wraps `AppModule` so a suite can add test controllers (see {@link TestAppExtras}). */
class TestRootModule {}

/**
 * Boots the real app through `createApp` — the builder `main.ts` uses — on a
 * fresh database, with log lines captured. Requests go through Fastify's
 * `inject`, which runs every hook, guard, pipe and filter a socket would.
 */
export async function bootTestApp(env: Record<string, string> = {}, extra: TestAppExtras = {}): Promise<TestApp> {
  const merged = { ...baseTestEnv(), ...env };
  await resetTestDatabase(merged.DATABASE_URL);
  const logs = new LogCapture();
  const overrides = { env: merged, logDestination: logs };
  const { controllers } = extra;
  const app = controllers?.length
    ? await createChassisApp((options) => ({ module: TestRootModule, imports: [AppModule.register(options)], controllers }), overrides)
    : await createApp(overrides);
  await app.getHttpAdapter().getInstance().ready();
  return { app, logs, close: () => app.close(), ...tokenSigner(app.get<AppConfig>(APP_CONFIG)) };
}
