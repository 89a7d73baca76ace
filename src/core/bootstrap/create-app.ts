import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { ProblemDetailsFilter } from '../errors/problem.filter';
import { echoRequestId } from '../http/request-id';
import { RouteRegistry } from '../http/route-registry';
import { registerAccessLog } from '../logging/access-log';
import { createRootLogger } from '../logging/root-logger';
import { HttpMetrics } from '../metrics/http-metrics';
import { setUpOpenApi } from '../openapi/openapi';
import { ChassisValidationPipe } from '../validation/validation.pipe';
import type { AppOverrides } from './app-overrides';
import { createFastifyAdapter } from './fastify-adapter';

/** The root module factory: `AppModule.register(options)`. */
export type RootModuleFactory = (options: { config: AppConfig; logger: PinoLogger }) => DynamicModule | Type;

/**
 * Assembles the application: one step per concern, in this order.
 *
 * 1. configuration – validate the environment; a bad one throws before anything starts
 * 2. server        – the root pino logger and the Fastify adapter (request ids, body limit)
 * 3. modules       – Nest builds the module graph (CoreModule + features)
 * 4. logging       – Nest's own logs go through pino from here on
 * 5. metrics       – HTTP metrics from Fastify's outermost hooks (every status counted)
 * 6. access log    – one line per request, from Fastify's onResponse hook
 * 7. request ids   – echo X-Request-ID on every response
 * 8. routes        – record routes (for 405 answers) before they are registered
 * 9. errors        – one problem+json filter for everything
 * 10. validation   – one strict ValidationPipe for every DTO
 * 11. OpenAPI      – /docs and /openapi.json when enabled
 * 12. init         – run migrations, register routes; the app is ready to listen
 *
 * Tracing is not a step: it must start before any module is imported, so it
 * is the separate entry `src/instrumentation.ts`. Graceful shutdown is
 * installed by `serve()` (src/core/lifecycle), which `main.ts` calls to listen.
 *
 * `main.ts` calls this then `serve`; every e2e test calls it too, with
 * overrides, so tests run exactly what production runs.
 *
 * @throws ConfigValidationError when the environment is invalid (before Nest starts).
 */
export async function createApp(root: RootModuleFactory, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  const config = loadConfig(overrides.env ?? process.env);
  const logger = createRootLogger(config, overrides.logDestination);
  const app = await NestFactory.create<NestFastifyApplication>(root({ config, logger }), createFastifyAdapter(config, logger), {
    bufferLogs: true,
    abortOnError: false,
  });
  useLogger(app);
  const fastify = app.getHttpAdapter().getInstance();
  if (config.metrics.enabled) app.get(HttpMetrics).attach(fastify);
  registerAccessLog(fastify, config.logging, config.metrics.path);
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
