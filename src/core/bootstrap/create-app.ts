import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger, PinoLogger as RequestScopedLogger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../settings/load-config';
import { answerNotModified } from '../conditional/conditional-get';
import { useRequestContext } from '../context/request-context.hook';
import { ProblemDetailsFilter } from '../errors/problem.filter';
import { ClientErrorResponder } from '../http/client-errors';
import { useCompression } from '../http/compression';
import { acceptJsonBodiesOnly } from '../http/json-body';
import { useRequestSignalFix } from '../http/request-signal';
import { RouteRegistry } from '../http/route-registry';
import { answerUnknownRoutesEarly } from '../http/unknown-route';
import { applyServerTimeouts } from '../http/server-timeouts';
import { useConnectionCloseWhileDraining } from '../lifecycle/drain-connections';
import { LifecycleState } from '../lifecycle/lifecycle-state';
import { registerAccessLog } from '../logging/access-log';
import { bindRequestLogger } from '../logging/request-logger';
import { createRootLogger } from '../logging/root-logger';
import { HttpMetrics } from '../metrics/http-metrics';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { setUpOpenApi } from '../openapi/openapi';
import { PreAuthRateLimiter } from '../rate-limit/pre-auth-limit';
import { useAllowedHosts } from '../security/allowed-hosts';
import { useCors } from '../security/cors';
import { useSecurityHeaders } from '../security/security-headers';
import { ChassisValidationPipe } from '../validation/validation.pipe';
import type { AppOverrides } from './app-overrides';
import { createFastifyAdapter } from './fastify-adapter';

/** The root module factory: `AppModule.register(options)`. */
export type RootModuleFactory = (options: { config: AppConfig; logger: PinoLogger }) => DynamicModule | Type;

/**
 * Assembles the application: one step per concern, in this order.
 * Fastify runs hooks of one kind in the order they are added, so the order
 * of steps 6-14 is the order a request meets the layers
 * (docs/request-pipeline.md draws it).
 *
 * 1. configuration   – validate the environment; a bad one throws before anything starts
 * 2. server          – the root pino logger and the Fastify adapter: request ids, trusted
 *                      proxies, body limit, request (handler) timeout, keep-alive timeout
 * 3. modules         – Nest builds the module graph (CoreModule + features); the cache
 *                      store (memory, or Redis with REDIS_URL) is chosen here, no step of its own
 * 4. JSON bodies     – anything but application/json is a 415; JSON over the shape limits a 400/413
 * 5. logging         – Nest's own logs go through pino from here on; inside a request,
 *                      PinoLogger / Nest's Logger lines carry its requestId (preHandler)
 * 6. metrics         – HTTP metrics from the outermost hooks, so every status is counted
 * 7. access log      – one line per request (onResponse), whoever answered it
 * 8. request context – X-Request-ID / X-Correlation-ID echoed, AsyncLocalStorage context (onRequest);
 *                      request.signal held until the response (not the body) is done
 * 9. server timeouts – headers timeout on the Node server
 * 10. security headers – on every response, whoever answers it (onSend); during the
 *                      shutdown drain, `Connection: close` too
 * 11. allowed hosts  – unknown Host → 400 (onRequest)
 * 12. CORS           – preflights answered, CORS headers (onRequest)
 * 13. pre-auth limit – per-address flood ceiling, before auth and body parsing (onRequest)
 *     unknown routes – 404/405 before the body is read (onRequest)
 *     not modified   – GET/HEAD whose If-None-Match matches the ETag → 304, before compression (onSend)
 * 14. compression    – compressible responses above a threshold (onSend)
 *     (authentication, then rate limiting, are global guards: see CoreModule)
 * 15. routes         – record routes (for 405 answers) before they are registered
 * 16. errors         – one problem+json filter for everything
 * 17. validation     – one strict ValidationPipe for every DTO
 * 18. OpenAPI        – /docs and /openapi.json when enabled
 * 19. init           – run migrations, register routes; the app is ready to listen
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
  const fastify = app.getHttpAdapter().getInstance();
  acceptJsonBodiesOnly(fastify, config.http.json);
  await useLogger(app);
  if (config.metrics.enabled) useHttpMetrics(app.get(HttpMetrics), fastify, clientErrors);
  registerAccessLog(fastify, logger, config.logging, config.metrics.path);
  useRequestContext(fastify);
  useRequestSignalFix(fastify);
  applyServerTimeouts(app.getHttpServer(), config);
  useSecurityHeaders(fastify, config);
  useConnectionCloseWhileDraining(fastify, app.get(LifecycleState));
  useAllowedHosts(fastify, config);
  await useCors(app, config);
  usePreAuthRateLimit(app);
  answerUnknownRoutesEarly(fastify);
  answerNotModified(fastify);
  await useCompression(app, config);
  const routes = new RouteRegistry();
  routes.attach(fastify);
  useProblemDetails(app, routes);
  useValidation(app);
  if (config.openApi.enabled) setUpOpenApi(app, config);
  await app.init();
  return app;
}

async function useLogger(app: NestFastifyApplication): Promise<void> {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  bindRequestLogger(app.getHttpAdapter().getInstance(), await app.resolve(RequestScopedLogger));
}

function useHttpMetrics(metrics: HttpMetrics, fastify: FastifyInstance, clientErrors: ClientErrorResponder): void {
  metrics.attach(fastify);
  clientErrors.countWith(metrics);
}

function usePreAuthRateLimit(app: NestFastifyApplication): void {
  app.get(PreAuthRateLimiter).attach(app.getHttpAdapter().getInstance());
}

function useProblemDetails(app: NestFastifyApplication, routes: RouteRegistry): void {
  app.useGlobalFilters(new ProblemDetailsFilter(routes, app.get<Registry>(METRICS_REGISTRY)));
}

function useValidation(app: NestFastifyApplication): void {
  app.useGlobalPipes(new ChassisValidationPipe());
}
