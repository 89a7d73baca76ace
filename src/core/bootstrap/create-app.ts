import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { useRequestContext } from '../context/request-context.hook';
import { ProblemDetailsFilter } from '../errors/problem.filter';
import { acceptJsonBodiesOnly } from '../http/json-body';
import { useCompression } from '../http/compression';
import { RouteRegistry } from '../http/route-registry';
import { applyServerTimeouts } from '../http/server-timeouts';
import { setUpOpenApi } from '../openapi/openapi';
import { PreAuthRateLimiter } from '../rate-limit/pre-auth-limit';
import { useAllowedHosts } from '../security/allowed-hosts';
import { useCors } from '../security/cors';
import { useSecurityHeaders } from '../security/security-headers';
import { ChassisValidationPipe } from '../validation/validation.pipe';
import type { AppOverrides } from './app-overrides';
import { createFastifyAdapter } from './fastify-adapter';

/** The root module factory: `AppModule.register(options)`. */
export type RootModuleFactory = (options: { config: AppConfig; logDestination?: AppOverrides['logDestination'] }) => DynamicModule | Type;

/**
 * Assembles the application: one step per concern, in this order.
 * Steps 5-11 are the request pipeline; docs/request-pipeline.md draws it.
 * Fastify runs hooks of one kind in the order they are added, so the order
 * of these steps is the order a request meets the layers.
 *
 * 1. configuration   – validate the environment; a bad one throws before anything starts
 * 2. server          – the Fastify adapter: request ids, trusted proxies, body limit,
 *                      request (handler) timeout, keep-alive timeout; JSON bodies only
 * 3. modules         – Nest builds the module graph (CoreModule + features); the cache
 *                      store (memory, or Redis with REDIS_URL) is chosen here, no step of its own
 * 4. logging         – Nest's own logs go through pino from here on
 * 5. request context – X-Request-ID / X-Correlation-ID echoed, AsyncLocalStorage context (onRequest)
 * 6. server timeouts – headers timeout on the Node server
 * 7. security headers– on every response, whoever answers it (onSend)
 * 8. allowed hosts   – unknown Host → 400 (onRequest)
 * 9. CORS            – preflights answered, CORS headers (onRequest)
 * 10. pre-auth limit – per-address flood ceiling, before auth and body parsing (onRequest)
 * 11. compression    – compressible responses above a threshold (onSend)
 *     (rate limiting proper is the global RateLimitGuard, after the auth guard)
 * 12. routes         – record routes (for 405 answers) before they are registered
 * 13. errors         – one problem+json filter for everything
 * 14. validation     – one strict ValidationPipe for every DTO
 * 15. OpenAPI        – /docs and /openapi.json when enabled
 * 16. init           – run migrations, register routes; the app is ready to listen
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
    { bufferLogs: true, abortOnError: false, bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  acceptJsonBodiesOnly(fastify);
  useLogger(app);
  useRequestContext(fastify);
  applyServerTimeouts(app.getHttpServer(), config);
  useSecurityHeaders(fastify, config);
  useAllowedHosts(fastify, config);
  await useCors(app, config);
  usePreAuthRateLimit(app);
  await useCompression(app, config);
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

function usePreAuthRateLimit(app: NestFastifyApplication): void {
  app.get(PreAuthRateLimiter).attach(app.getHttpAdapter().getInstance());
}

function useProblemDetails(app: NestFastifyApplication, routes: RouteRegistry): void {
  app.useGlobalFilters(new ProblemDetailsFilter(routes));
}

function useValidation(app: NestFastifyApplication): void {
  app.useGlobalPipes(new ChassisValidationPipe());
}
