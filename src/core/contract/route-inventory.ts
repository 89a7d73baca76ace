import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { Module } from '@nestjs/core/injector/module';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getMetadataStorage } from 'class-validator';
import { readAccessRequirements } from '../auth/access-requirements';
import { PUBLIC_WRITE_REASON_KEY } from '../auth/public-write.decorator';
import { CACHE_RESPONSE_TTL } from '../cache/cache.tokens';
import { JobsDashboardAccess } from '../jobs/dashboard/jobs-dashboard.access';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { routeRegistryOf } from '../routing/route-registry';
import { resolveAppliedPolicy } from '../rate-limit/applied-policy';
import { EVENT_STREAM_OPTIONS } from '../streaming/event-stream-route';

/** Methods whose request body Fastify parses (and limits with `BODY_LIMIT_BYTES`). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Methods that change state: a public one needs a written reason (`@PublicWrite`). */
export const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The rate limit a route is under: a policy (`default`, a named one, or `route` for `@Throttle()`), none, or off globally. */
export type ThrottleSummary =
  | { kind: 'policy'; policy: string; limit: number | 'dynamic'; windowSeconds: number | 'dynamic' }
  | { kind: 'skipped' }
  | { kind: 'disabled' };

/**
 * The request body a handler reads: the class its `@Body()` parameter is
 * declared as, and whether class-validator rules are declared on it
 * (the global ValidationPipe then validates it).
 */
export interface BodySummary {
  /** The declared type's name (`CreateItemDto`, `Object`, `Array`…). */
  type: string;
  /** `@Body('field')` reads one field, not a DTO. */
  field: string | null;
  validated: boolean;
}

/** One route the app serves, with the policies in effect for it. */
export interface RouteInventoryEntry {
  method: string;
  /** The URL template as Fastify registered it (`/items/:id`): the `route` label in metrics. */
  path: string;
  /** `nest`: a controller handler behind the chassis's guards, pipes and filter; `fastify`: registered on Fastify directly (Swagger UI, the jobs dashboard). */
  source: 'nest' | 'fastify';
  controller: string | null;
  handler: string | null;
  /** Declared in a module imported (transitively) by the feature root module. */
  feature: boolean;
  auth: 'public' | 'authenticated';
  scopes: string[];
  roles: string[];
  /** `@PublicWrite(reason)`'s reason, when given. */
  publicWriteReason: string | null;
  throttle: ThrottleSummary;
  /** `@CacheResponse()`: the TTL in seconds, or null when responses are not cached. */
  cacheTtlSeconds: number | null;
  /** The largest accepted request body, bytes; null for methods without a body (GET, HEAD). */
  bodyLimitBytes: number | null;
  /** The `@Body()` parameter, or null when the handler reads no body. */
  body: BodySummary | null;
  /** `@EventStream()`: answers `text/event-stream` that stays open (docs/streaming.md); a client reads its headers, not its end. */
  stream: boolean;
}

export interface RouteInventoryOptions {
  /** The module that lists the features (FeaturesModule): its routes, and its imports', are feature routes. */
  featureRoot?: Type;
}

/**
 * Every route the running app serves, read from the app itself: Fastify's
 * route table (recorded by `RouteRegistry` as routes are registered) joined
 * with Nest's controller metadata (the same keys the guards, interceptors and
 * pipes read), so the inventory shows the policies in effect, not what the
 * source seems to say. HEAD routes Fastify adds for each GET are left out.
 * Call it after `fastify.ready()`: plugins (Swagger UI) add routes then.
 *
 * @throws Error when a Nest handler cannot be matched to a registered route
 *   (e.g. a global prefix or versioning this function does not model).
 */
export function routeInventory(app: NestFastifyApplication, options: RouteInventoryOptions = {}): RouteInventoryEntry[] {
  const config = app.get<AppConfig>(APP_CONFIG);
  const reflector = app.get(Reflector);
  const registered = routeRegistryOf(app.getHttpAdapter().getInstance()).list();
  const gets = new Set(registered.filter((r) => r.method === 'GET').map((r) => r.url));
  const nestRoutes = new Map(nestHandlers(app, options).map((h) => [`${h.method} ${h.path}`, h]));

  const entries: RouteInventoryEntry[] = [];
  for (const { method, url } of registered) {
    if (method === 'HEAD' && gets.has(url)) continue;
    const handler = nestRoutes.get(`${method} ${url}`);
    nestRoutes.delete(`${method} ${url}`);
    if (handler) entries.push(describeNestRoute(handler, reflector, config));
    else if (isJobsDashboardRoute(url, config)) entries.push(describeJobsDashboardRoute(method, url, reflector, config));
    else entries.push(describeFastifyRoute(method, url, config));
  }
  if (nestRoutes.size > 0) throw new Error(`routes not found in Fastify's table: ${[...nestRoutes.keys()].join(', ')}`);
  return entries.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

interface NestHandler {
  method: string;
  path: string;
  controller: Type;
  handlerName: string;
  handler: (...args: unknown[]) => unknown;
  feature: boolean;
}

/** Every controller method with a route decorator, with its full path (controller path + method path). */
function nestHandlers(app: NestFastifyApplication, options: RouteInventoryOptions): NestHandler[] {
  const featureModules = options.featureRoot ? modulesUnder(app, options.featureRoot) : new Set<Module>();
  const scanner = app.get(MetadataScanner);
  const handlers: NestHandler[] = [];
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as Type | undefined;
    if (!controller) continue;
    const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
    for (const handlerName of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, (...args: unknown[]) => unknown>)[handlerName];
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (paths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      for (const prefix of prefixes) {
        for (const path of asArray(paths)) {
          handlers.push({
            method,
            path: joinPath(prefix, path),
            controller,
            handlerName,
            handler,
            feature: featureModules.has(wrapper.host!),
          });
        }
      }
    }
  }
  return handlers;
}

function describeNestRoute(h: NestHandler, reflector: Reflector, config: AppConfig): RouteInventoryEntry {
  const targets = [h.handler, h.controller];
  const access = readAccessRequirements(reflector, h.handler, h.controller);
  const cacheTtl = reflector.getAllAndOverride<number | null | undefined>(CACHE_RESPONSE_TTL, targets);
  return {
    method: h.method,
    path: h.path,
    source: 'nest',
    controller: h.controller.name,
    handler: h.handlerName,
    feature: h.feature,
    auth: access.isPublic ? 'public' : 'authenticated',
    scopes: access.isPublic ? [] : [...access.scopes],
    roles: access.isPublic ? [] : [...access.roles],
    publicWriteReason: reflector.get<string | undefined>(PUBLIC_WRITE_REASON_KEY, h.handler) ?? null,
    throttle: throttleOf(h, reflector, config),
    cacheTtlSeconds: cacheTtl === undefined ? null : (cacheTtl ?? config.cache.ttlSeconds),
    bodyLimitBytes: BODY_METHODS.has(h.method) ? config.http.bodyLimitBytes : null,
    body: bodyOf(h),
    stream: reflector.get<unknown>(EVENT_STREAM_OPTIONS, h.handler) !== undefined,
  };
}

/** Under the jobs dashboard's path while it is enabled (Bull Board's page, assets and API). */
function isJobsDashboardRoute(url: string, config: AppConfig): boolean {
  const { enabled, path } = config.jobsDashboard;
  return enabled && (url === path || url.startsWith(`${path}/`));
}

/**
 * A jobs dashboard route: registered on Fastify, but behind a hook that runs the
 * global guards with {@link JobsDashboardAccess}'s requirements, so it is described with them.
 */
function describeJobsDashboardRoute(method: string, path: string, reflector: Reflector, config: AppConfig): RouteInventoryEntry {
  const handler = JobsDashboardAccess.prototype.route as (...args: unknown[]) => unknown;
  const route = describeNestRoute(
    { method, path, controller: JobsDashboardAccess, handlerName: 'route', handler, feature: false },
    reflector,
    config,
  );
  return { ...route, source: 'fastify', body: null };
}

/** A route Fastify serves outside Nest (Swagger UI): no guard runs, so it is public and not rate limited per principal. */
function describeFastifyRoute(method: string, path: string, config: AppConfig): RouteInventoryEntry {
  return {
    method,
    path,
    source: 'fastify',
    controller: null,
    handler: null,
    feature: false,
    auth: 'public',
    scopes: [],
    roles: [],
    publicWriteReason: null,
    throttle: config.rateLimit.enabled ? { kind: 'skipped' } : { kind: 'disabled' },
    cacheTtlSeconds: null,
    bodyLimitBytes: BODY_METHODS.has(method) ? config.http.bodyLimitBytes : null,
    body: null,
    stream: false,
  };
}

function throttleOf(h: NestHandler, reflector: Reflector, config: AppConfig): ThrottleSummary {
  if (!config.rateLimit.enabled) return { kind: 'disabled' };
  const context = { getHandler: () => h.handler, getClass: () => h.controller } as unknown as Parameters<typeof resolveAppliedPolicy>[0];
  const policy = resolveAppliedPolicy(context, reflector, config.rateLimit);
  if (policy.skip) return { kind: 'skipped' };
  return {
    kind: 'policy',
    policy: policy.policy,
    limit: typeof policy.limit === 'number' ? policy.limit : 'dynamic',
    windowSeconds: typeof policy.ttl === 'number' ? policy.ttl / 1000 : 'dynamic',
  };
}

function bodyOf(h: NestHandler): BodySummary | null {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, h.controller, h.handlerName) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const key = Object.keys(args).find((k) => k.split(':')[0] === String(RouteParamtypes.BODY));
  if (key === undefined) return null;
  const { index, data } = args[key];
  const types = (Reflect.getMetadata('design:paramtypes', h.controller.prototype, h.handlerName) ?? []) as (Type | undefined)[];
  const type = types[index];
  const field = typeof data === 'string' ? data : null;
  return { type: type?.name ?? 'unknown', field, validated: field === null && type !== undefined && hasValidationRules(type) };
}

/** True when class-validator rules are declared on the class (or a class it extends). */
function hasValidationRules(type: Type): boolean {
  if ([Object, String, Number, Boolean, Array].includes(type as never)) return false;
  return getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0;
}

/** The modules imported (transitively) by `root`, root included. */
function modulesUnder(app: NestFastifyApplication, root: Type): Set<Module> {
  const start = [...app.get(ModulesContainer).values()].find((m) => m.metatype === root);
  const seen = new Set<Module>();
  const queue = start ? [start] : [];
  while (queue.length > 0) {
    const module = queue.pop()!;
    if (seen.has(module)) continue;
    seen.add(module);
    queue.push(...[...module.imports].filter((m): m is Module => m !== undefined && !m.isGlobal));
  }
  return seen;
}

function asArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return ['/'];
  return Array.isArray(value) ? value : [value];
}

/** Nest's path joining: one leading slash, no trailing slash, no empty segments (`'items'` + `':id'` → `/items/:id`). */
function joinPath(prefix: string, path: string): string {
  const joined = [prefix, path]
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment.length > 0)
    .join('/');
  return `/${joined}`;
}
