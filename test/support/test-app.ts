import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppModule } from '../../src/app.module';
import { createChassisApp } from '../../src/core/bootstrap/create-chassis-app';
import type { AppConfig } from '../../src/core/config/app-config';
import { APP_CONFIG } from '../../src/core/config/config.tokens';
import { LogCapture } from './log-capture';
import { PRODUCTION_AUTH_ENV } from './production-env';
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
 * The settings production insists on (a real secret, issuer and audience),
 * for suites that boot with `NODE_ENV=production`.
 */
export function productionTestEnv(): Record<string, string> {
  return { NODE_ENV: 'production', ...PRODUCTION_AUTH_ENV };
}

export interface TestApp extends TokenSigner {
  app: NestFastifyApplication;
  logs: LogCapture;
  close(): Promise<void>;
}

/**
 * Test-only additions around `AppModule` (a controller that throws, a probe
 * for a chassis decorator), never in src. The app is otherwise exactly
 * `src/app.ts`'s: the same builder, the same modules.
 */
export interface BootOptions {
  /** Imported before AppModule: their APP_GUARDs run before the chassis's. */
  before?: (Type | DynamicModule)[];
  /** Imported after AppModule (e.g. a module with a test controller). */
  after?: (Type | DynamicModule)[];
  /** Test controllers declared on the root module. */
  controllers?: Type[];
  /** Start from the database as it is (a second instance of the same service); default: emptied first. */
  keepDatabase?: boolean;
}

/**
 * Boots the real app through `createChassisApp` — the builder `main.ts` uses — on a
 * fresh database, with log lines captured. Requests go through Fastify's
 * `inject`, which runs every hook, guard, pipe and filter a socket would.
 * `token()`/`authHeader()` sign tokens this app accepts (its own secret,
 * issuer and audience). What the app logs during its boot, its requests and
 * its `close()` lands in its own `logs`, also with other apps in the same test.
 */
export async function bootTestApp(env: Record<string, string> = {}, options: BootOptions = {}): Promise<TestApp> {
  const merged = { ...baseTestEnv(), ...env };
  if (!options.keepDatabase) await resetTestDatabase(merged.DATABASE_URL);
  const logs = new LogCapture();
  const root = (core: Parameters<typeof AppModule.register>[0]): DynamicModule => ({
    module: class TestRootModule {},
    imports: [...(options.before ?? []), AppModule.register(core), ...(options.after ?? [])],
    controllers: options.controllers ?? [],
  });
  const app = await logs.run(() => createChassisApp(root, { env: merged, logDestination: logs }));
  const fastify = app.getHttpAdapter().getInstance();
  attributeRequestLogs(fastify, logs);
  await fastify.ready();
  return { app, logs, close: () => logs.run(() => app.close()), ...tokenSigner(app.get<AppConfig>(APP_CONFIG)) };
}

/**
 * Replicas of one service in one test: `count` apps on one database, emptied
 * once before the first boots (never per app), each with its own log capture.
 * They boot one after the other, so only the first runs the migrations. Give
 * them a shared `DATABASE_URL` (a SQLite file, or PostgreSQL's) to share data.
 */
export async function bootTestReplicas(count: number, env: Record<string, string> = {}, options: BootOptions = {}): Promise<TestApp[]> {
  const replicas: TestApp[] = [];
  for (let index = 0; index < count; index += 1) {
    replicas.push(await bootTestApp(env, { ...options, keepDatabase: options.keepDatabase === true || index > 0 }));
  }
  return replicas;
}

/** Makes `logs` current inside this app's requests (from the first hook, and again once the body is read). */
function attributeRequestLogs(fastify: FastifyInstance, logs: LogCapture): void {
  const enter = (_request: unknown, _reply: unknown, done: () => void) => logs.run(done);
  fastify.addHook('onRequest', enter);
  // Fastify reads bodies in stream callbacks, which drop the async context of onRequest.
  fastify.addHook('preHandler', enter);
}
