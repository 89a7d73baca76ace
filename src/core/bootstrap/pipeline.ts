import type { CanActivate, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { PinoLogger as RequestScopedLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import type { AppConfig } from '../config/app-config';
import { notModifiedHook } from '../conditional/conditional-get';
import { decorateRequestContext, requestContextHooks } from '../context/request-context.hook';
import { registerCompression } from '../server/compression';
import { routeTimeoutsHook } from '../server/route-timeouts';
import { encodedBodyHook } from '../body/json-body';
import { requestSignalHook } from '../context/request-signal';
import { bindRouteRegistry, RouteRegistry } from '../routing/route-registry';
import { unknownRouteHook } from '../routing/unknown-route';
import { connectionCloseWhileDrainingHook } from '../lifecycle/drain-connections';
import { LifecycleState } from '../lifecycle/lifecycle-state';
import { accessLogHooks } from '../logging/access-log';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { requestLoggerHook } from '../logging/request-logger';
import { HttpMetrics } from '../metrics/http-metrics';
import { PreAuthRateLimiter } from '../rate-limit/pre-auth-rate-limiter';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { allowedHostsHook } from '../security/allowed-hosts';
import { registerCors } from '../security/cors';
import { securityHeadersHook } from '../security/security-headers';

/**
 * The request pipeline, by Fastify phase: every layer a request meets, in the
 * order it meets it, with why it sits there. `registerPipeline` adds these
 * hooks and plugins in list order, and Fastify runs the hooks of one phase in
 * the order they were added (route-level hooks, such as compression's
 * `onSend`, after the global ones). docs/request-pipeline.md draws the same
 * lists, checked by test/unit/request-pipeline-doc.spec.ts.
 *
 * The Fastify adapter's own `onRequest` hooks (Nest's platform-fastify) run
 * before these; client errors caught before any hook (bad URL, oversized or
 * slow headers) are answered by the adapter's handlers (see
 * `createFastifyAdapter`).
 */

/** One layer: its name and one line of why it sits where it does. */
export interface PipelineStep {
  readonly name: string;
  readonly why: string;
}

/** The hooks the concerns built for one app, handed to each step. */
export interface PipelineLayers {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly metrics?: ReturnType<HttpMetrics['hooks']>;
  readonly accessLog: ReturnType<typeof accessLogHooks>;
  readonly context: ReturnType<typeof requestContextHooks>;
  readonly requestLogger: ReturnType<typeof requestLoggerHook>;
  readonly preAuth?: ReturnType<PreAuthRateLimiter['hook']>;
  readonly lifecycle: LifecycleState;
  readonly routes: RouteRegistry;
}

// A Fastify hook of any phase: the phase's own type is checked where the factory is written.
type AnyHook = (...args: never[]) => unknown;

/** A step that adds one hook to its phase (none when the factory returns undefined: the layer is off). */
interface HookStep extends PipelineStep {
  readonly hook: (layers: PipelineLayers) => AnyHook | undefined;
}

/** A step that registers a Fastify plugin, which adds its own hooks at this place. */
interface PluginStep extends PipelineStep {
  readonly plugin: (layers: PipelineLayers) => Promise<void>;
}

type Step = HookStep | PluginStep;

/** The Fastify phases, in the order Fastify runs them for a request (fastify/lib/hooks.js), then `onRoute` (at boot). */
export const FASTIFY_PHASES = [
  'onRequest',
  'preParsing',
  'preValidation',
  'preHandler',
  'onSend',
  'onResponse',
  'onTimeout',
  'onError',
  'onRequestAbort',
  'onRoute',
] as const;

export type FastifyPhase = (typeof FASTIFY_PHASES)[number];

/** The Fastify hooks and plugins, per phase, in the order they run. */
export const FASTIFY_PIPELINE: Readonly<Record<FastifyPhase, readonly Step[]>> = {
  onRequest: [
    {
      name: 'HTTP metrics: count the active request',
      why: 'first, so every answer below (401, 404, 413, 429, 500) is counted',
      hook: (l) => l.metrics?.onRequest,
    },
    {
      name: 'access log: remember the server span',
      why: 'where the server span is active, so the line carries the trace of its request',
      hook: (l) => l.accessLog.onRequest,
    },
    {
      name: 'request context: X-Request-ID, X-Correlation-ID, AsyncLocalStorage context',
      why: 'before anything can answer, so every response (errors, 404s, preflights) carries the ids',
      hook: (l) => l.context.onRequest,
    },
    {
      name: 'request signal: held until the response is done',
      why: 'before any handler reads the body, which would otherwise abort request.signal',
      hook: () => requestSignalHook(),
    },
    {
      name: 'allowed hosts: unknown or duplicate Host is a 400',
      why: 'before CORS, limits and routing: a request for another host is refused outright',
      hook: (l) => allowedHostsHook(l.config),
    },
    {
      name: 'CORS (@fastify/cors): preflights answered, CORS headers',
      why: 'before the limits and authentication, so a preflight is never refused and refusals carry CORS headers',
      plugin: (l) => registerCors(l.app, l.config),
    },
    {
      name: 'pre-authentication rate limit: per-address flood ceiling (429)',
      why: 'before routing, body parsing and token verification, so a flood of bad tokens is counted too',
      hook: (l) => l.preAuth,
    },
    {
      name: 'unknown routes: 404/405 before the body is read',
      why: "Fastify's not-found handler would wait for the body first",
      hook: () => unknownRouteHook(),
    },
  ],
  preParsing: [
    {
      name: 'encoded bodies: a Content-Encoding other than identity is a 415',
      why: 'before the body is read: no content coding is decoded',
      hook: () => encodedBodyHook(),
    },
  ],
  preValidation: [],
  preHandler: [
    {
      name: 'request logger: nestjs-pino request scope',
      why: 'after body parsing (which drops the async context), before guards, so PinoLogger.assign() works',
      hook: (l) => l.requestLogger,
    },
    {
      name: 'request context: re-entered when body parsing lost it',
      why: 'Fastify parses bodies in stream callbacks that drop the onRequest async context',
      hook: (l) => l.context.preHandler,
    },
  ],
  onSend: [
    {
      name: 'security headers, Cache-Control: no-store, HSTS',
      why: 'on every reply Fastify sends, whoever answered it',
      hook: (l) => securityHeadersHook(l.config),
    },
    {
      name: 'Connection: close during the shutdown drain',
      why: 'so keep-alive clients move to another replica before the listener closes',
      hook: (l) => connectionCloseWhileDrainingHook(l.lifecycle),
    },
    {
      name: 'conditional GET: If-None-Match matching the ETag is a 304',
      why: 'before compression, so a 304 has nothing left to compress',
      hook: () => notModifiedHook(),
    },
    {
      name: 'compression (@fastify/compress): br, gzip, deflate above the threshold',
      why: 'last: its onSend is a route-level hook (added through onRoute), which Fastify runs after the global ones',
      plugin: (l) => registerCompression(l.app, l.config),
    },
  ],
  onResponse: [
    {
      name: 'HTTP metrics: duration histogram, active request done',
      why: 'after the last byte, whoever answered',
      hook: (l) => l.metrics?.onResponse,
    },
    {
      name: 'access log: one line per request',
      why: 'after the last byte, whoever answered, with the final status and size',
      hook: (l) => l.accessLog.onResponse,
    },
    {
      name: 'request context: released',
      why: 'last, once nothing of this request logs any more',
      hook: (l) => l.context.onResponse,
    },
  ],
  onTimeout: [],
  onError: [],
  onRequestAbort: [
    {
      name: 'HTTP metrics: active request done',
      why: 'a client that hangs up gets no onResponse: keep the gauge right',
      hook: (l) => l.metrics?.onRequestAbort,
    },
    {
      name: 'access log: one line saying the client went away',
      why: 'still one line per request, at info',
      hook: (l) => l.accessLog.onRequestAbort,
    },
    {
      name: 'request context: released',
      why: 'last, as after a response',
      hook: (l) => l.context.onRequestAbort,
    },
  ],
  onRoute: [
    {
      name: 'route timeouts: @RequestTimeout(), and no request timeout on @EventStream() routes',
      why: 'while the route is registered, the only time its handlerTimeout can be set; a bad value stops the boot',
      hook: (l) => routeTimeoutsHook(l.config),
    },
    {
      name: 'route registry: record each route for 405 answers and the route inventory',
      why: 'before Nest registers its routes (app.init), after compression added its own onRoute hook',
      hook: (l) => l.routes.onRoute,
    },
  ],
};

/** A global guard, in the order guards run. */
export interface GuardStep extends PipelineStep {
  readonly guard: Type<CanActivate>;
}

/** The global guards, in the order they run (registered as `APP_GUARD`s in this order by `GlobalGuardsModule`). */
export const GLOBAL_GUARDS: readonly GuardStep[] = [
  {
    name: 'authentication guard (JwtAuthGuard)',
    why: 'first: every route is authenticated unless @Public(), and scopes and roles are checked',
    guard: JwtAuthGuard,
  },
  {
    name: 'rate limit guard (RateLimitGuard)',
    why: 'after authentication, so a signed-in client is counted by its subject, not its address',
    guard: RateLimitGuard,
  },
];

/** What Nest runs once Fastify hands it the request, in order. */
export const NEST_PIPELINE: readonly PipelineStep[] = [
  ...GLOBAL_GUARDS.map(({ name, why }) => ({ name, why })),
  {
    name: 'route interceptors: @CacheResponse, @Idempotent, @VersionedResource',
    why: 'only on the routes that ask for them, after the guards, around the pipe and the handler',
  },
  {
    name: 'validation pipe (ChassisValidationPipe)',
    why: 'one strict pipe for every DTO: the handler only sees validated input',
  },
  { name: 'route handler', why: 'the feature code' },
  {
    name: 'exception filter (ProblemDetailsFilter)',
    why: 'one filter for everything thrown from the guards to the handler: problem+json',
  },
];

/**
 * Adds every hook and plugin of {@link FASTIFY_PIPELINE} to the app's Fastify
 * instance, phase by phase in list order, and binds the route registry the
 * exception filter and the route inventory read (`routeRegistryOf`). Call
 * before `app.init()`.
 */
export async function registerPipeline(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const layers = await buildLayers(app, config);
  decorateRequestContext(fastify);
  bindRouteRegistry(fastify, layers.routes);
  for (const phase of FASTIFY_PHASES) {
    for (const step of FASTIFY_PIPELINE[phase]) await registerStep(fastify, phase, step, layers);
  }
}

async function buildLayers(app: NestFastifyApplication, config: AppConfig): Promise<PipelineLayers> {
  return {
    app,
    config,
    metrics: config.metrics.enabled ? app.get(HttpMetrics).hooks() : undefined,
    accessLog: accessLogHooks(app.get<Logger>(ROOT_LOGGER), config.logging, config.metrics.path),
    context: requestContextHooks(),
    requestLogger: requestLoggerHook(await app.resolve(RequestScopedLogger)),
    preAuth: app.get(PreAuthRateLimiter).hook(),
    lifecycle: app.get(LifecycleState),
    routes: new RouteRegistry(),
  };
}

async function registerStep(fastify: FastifyInstance, phase: FastifyPhase, step: Step, layers: PipelineLayers): Promise<void> {
  if ('plugin' in step) return step.plugin(layers);
  const hook = step.hook(layers);
  // The phase and the hook's type are paired by the list above; addHook's overloads cannot see it.
  if (hook !== undefined) fastify.addHook(phase as 'onRequest', hook as unknown as onRequestHookHandler);
}
