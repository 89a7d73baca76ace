import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { ProblemDetailsFilter } from '../errors/problem.filter';
import { ClientErrorResponder } from '../server/client-errors';
import { registerJsonBodyParser } from '../body/json-body';
import { applyServerTimeouts } from '../server/server-timeouts';
import { createRootLogger } from '../logging/root-logger';
import { HttpMetrics } from '../metrics/http-metrics';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { setUpOpenApi } from '../openapi/openapi';
import { ChassisValidationPipe } from '../validation/validation.pipe';
import type { AppOverrides } from './app-overrides';
import { createFastifyAdapter } from './fastify-adapter';
import { registerPipeline } from './pipeline';

/** The root module factory: `AppModule.register(options)`. */
export type RootModuleFactory = (options: { config: AppConfig; logger: PinoLogger }) => DynamicModule | Type;

/**
 * Builds the chassis application around a root module, ready to listen:
 *
 * 1. configuration – validate the environment; a bad one throws before anything starts;
 * 2. server – the root pino logger and the Fastify adapter (request ids,
 *    trusted proxies, body limit, handler and keep-alive timeouts, client errors);
 * 3. modules – Nest builds the module graph (CoreModule + features);
 * 4. JSON bodies – the one body parser: JSON within the shape limits;
 * 5. logging – Nest's own logs go through pino from here on;
 * 6. server timeouts – the headers timeout on the Node server;
 * 7. request pipeline – every hook and plugin, in the order of
 *    src/core/bootstrap/pipeline.ts (the one place that order is written);
 * 8. the exception filter and the validation pipe, for every route;
 * 9. OpenAPI – /docs and /openapi.json when enabled;
 * 10. init – run migrations, register routes.
 *
 * Tracing is not a step: it must start before any module is imported, so it
 * is the separate entry `src/instrumentation.ts`. Graceful shutdown is
 * installed by `serve()` (src/core/lifecycle), which `main.ts` calls to listen.
 *
 * `src/app.ts` (`createApp`, which `main.ts` calls) and every e2e test call
 * this, so tests run exactly what production runs.
 *
 * @throws ConfigValidationError when the environment is invalid (before Nest starts).
 */
export async function createChassisApp(root: RootModuleFactory, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  const config = loadConfig(overrides.env ?? process.env);
  const logger = createRootLogger(config, overrides.logDestination);
  const clientErrors = new ClientErrorResponder(logger, config.logging.queryValues);
  const app = await NestFactory.create<NestFastifyApplication>(
    root({ config, logger }),
    createFastifyAdapter(config, logger, clientErrors),
    {
      bufferLogs: true,
      abortOnError: false,
      bodyParser: false,
    },
  );
  registerJsonBodyParser(app.getHttpAdapter().getInstance(), config.http.json);
  app.useLogger(app.get(Logger));
  app.flushLogs();
  if (config.metrics.enabled) clientErrors.countWith(app.get(HttpMetrics));
  applyServerTimeouts(app.getHttpServer(), config);
  const routes = await registerPipeline(app, config, logger);
  app.useGlobalFilters(new ProblemDetailsFilter(routes, app.get<Registry>(METRICS_REGISTRY)));
  app.useGlobalPipes(new ChassisValidationPipe());
  if (config.openApi.enabled) setUpOpenApi(app, config);
  await app.init();
  return app;
}
