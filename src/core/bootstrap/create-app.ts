import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { ProblemDetailsFilter } from '../errors/problem.filter';
import { echoRequestId } from '../http/request-id';
import { RouteRegistry } from '../http/route-registry';
import { setUpOpenApi } from '../openapi/openapi';
import { ChassisValidationPipe } from '../validation/validation.pipe';
import type { AppOverrides } from './app-overrides';
import { createFastifyAdapter } from './fastify-adapter';

/** The root module factory: `AppModule.register(options)`. */
export type RootModuleFactory = (options: { config: AppConfig; logDestination?: AppOverrides['logDestination'] }) => DynamicModule | Type;

/**
 * Assembles the application: one step per concern, in this order.
 *
 * 1. configuration – validate the environment; a bad one throws before anything starts
 * 2. server        – the Fastify adapter (request ids, body limit)
 * 3. modules       – Nest builds the module graph (CoreModule + features); the cache
 *                    store (memory, or Redis with REDIS_URL) is chosen here, no step of its own
 * 4. logging       – Nest's own logs go through pino from here on
 * 5. request ids   – echo X-Request-ID on every response
 * 6. routes        – record routes (for 405 answers) before they are registered
 * 7. errors        – one problem+json filter for everything
 * 8. validation    – one strict ValidationPipe for every DTO
 * 9. OpenAPI       – /docs and /openapi.json when enabled
 * 10. init         – run migrations, register routes; the app is ready to listen
 *
 * `main.ts` calls this then `listen`; every e2e test calls it too, with
 * overrides, so tests run exactly what production runs.
 *
 * @throws ConfigValidationError when the environment is invalid (before Nest starts).
 */
export async function createApp(root: RootModuleFactory, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  const config = loadConfig(overrides.env ?? process.env);
  const app = await NestFactory.create<NestFastifyApplication>(
    root({ config, logDestination: overrides.logDestination }),
    createFastifyAdapter(config),
    { bufferLogs: true, abortOnError: false },
  );
  useLogger(app);
  const fastify = app.getHttpAdapter().getInstance();
  echoRequestId(fastify);
  const routes = new RouteRegistry();
  routes.attach(fastify);
  useProblemDetails(app, routes);
  useValidation(app);
  if (config.openApi.enabled) setUpOpenApi(app, config);
  await app.init();
  return app;
}

function useLogger(app: NestFastifyApplication): void {
  app.useLogger(app.get(Logger));
  app.flushLogs();
}

function useProblemDetails(app: NestFastifyApplication, routes: RouteRegistry): void {
  app.useGlobalFilters(new ProblemDetailsFilter(routes));
}

function useValidation(app: NestFastifyApplication): void {
  app.useGlobalPipes(new ChassisValidationPipe());
}
