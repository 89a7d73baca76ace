import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import { registerJsonBodyParser } from '../body/json-body';
import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../settings/load-config';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { ChassisNestLogger } from '../logging/chassis-nest-logger';
import { createRootLogger } from '../logging/root-logger';
import { HttpMetrics } from '../metrics/http-metrics';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { registerOpenApi } from '../openapi/openapi';
import { registerJobsDashboard } from '../jobs/dashboard/jobs-dashboard';
import { routeRegistryOf } from '../routing/route-registry';
import { ClientErrorResponder } from '../server/client-error.responder';
import { registerServerTimeouts } from '../server/server-timeouts';
import { ChassisValidationPipe } from '../validation/validation.pipe';
import type { AppOverrides } from './app-overrides';
import { createFastifyAdapter } from './fastify-adapter';
import { registerPipeline } from './pipeline';

/** The root module factory: `AppModule.register(options)`. */
export type RootModuleFactory = (options: { config: AppConfig; logger: PinoLogger }) => DynamicModule | Type;

/** One step of the builder, run once the Nest application exists; a step whose setting is off does nothing. */
type BuilderStep = (app: NestFastifyApplication, config: AppConfig) => void | Promise<void>;

/**
 * The builder's steps, in order, once Nest has built the module graph
 * (CoreModule + features).
 */
const BUILDER_STEPS: readonly BuilderStep[] = [
  // The one body parser: JSON within the shape limits; anything else is a 415.
  registerJsonBodyParser,
  // The headers timeout on the Node server.
  registerServerTimeouts,
  // Every hook and plugin, in the order of src/core/bootstrap/pipeline.ts (the one place that order is written).
  registerPipeline,
  // One problem+json filter; before init, so the not-found and error handlers Nest registers use it.
  registerProblemDetailsFilter,
  // One strict ValidationPipe for every DTO.
  registerValidationPipe,
  // /docs and /openapi.json when enabled.
  registerOpenApi,
  // The queue dashboard when enabled, on Redis, admin only.
  registerJobsDashboard,
];

/**
 * Builds the chassis application around a root module, ready to listen:
 * validates the environment (a bad one throws before anything starts),
 * creates the root pino logger and the Fastify adapter (request ids, trusted
 * proxies, body limit, handler and keep-alive timeouts, client errors), lets
 * Nest build the module graph, runs {@link BUILDER_STEPS}, then `app.init()`
 * (migrations, routes).
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
      // JSON from Nest's first line, also when the boot fails (buffered lines would go out in Nest's format).
      logger: new ChassisNestLogger(logger),
      abortOnError: false,
      bodyParser: false,
    },
  );
  // Client errors are answered by the adapter, before any hook: counted once the metrics exist.
  if (config.metrics.enabled) clientErrors.countWith(app.get(HttpMetrics));
  for (const step of BUILDER_STEPS) await step(app, config);
  await app.init();
  return app;
}

function registerProblemDetailsFilter(app: NestFastifyApplication): void {
  const routes = routeRegistryOf(app.getHttpAdapter().getInstance());
  app.useGlobalFilters(new ProblemDetailsFilter(routes, app.get<Registry>(METRICS_REGISTRY)));
}

function registerValidationPipe(app: NestFastifyApplication): void {
  app.useGlobalPipes(new ChassisValidationPipe());
}
