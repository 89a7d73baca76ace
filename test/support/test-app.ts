import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app';
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

/**
 * Boots the real app through `createApp` — the builder `main.ts` uses — on a
 * fresh database, with log lines captured. Requests go through Fastify's
 * `inject`, which runs every hook, guard, pipe and filter a socket would.
 */
export async function bootTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const merged = { ...baseTestEnv(), ...env };
  await resetTestDatabase(merged.DATABASE_URL);
  const logs = new LogCapture();
  const app = await createApp({ env: merged, logDestination: logs });
  await app.getHttpAdapter().getInstance().ready();
  return { app, logs, close: () => app.close(), ...tokenSigner(app.get<AppConfig>(APP_CONFIG)) };
}
