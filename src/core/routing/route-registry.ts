import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { FastifyInstance, HTTPMethods, onRouteHookHandler } from 'fastify';

/** One route as Fastify registered it: the method and the URL template (`/items/:id`). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

const registries = new WeakMap<FastifyInstance, RouteRegistry>();

/** Makes `registry` the one {@link routeRegistryOf} returns for this instance. */
export function bindRouteRegistry(fastify: FastifyInstance, registry: RouteRegistry): void {
  registries.set(fastify, registry);
}

/**
 * The registry bound to this Fastify instance by `createApp`, for tools
 * that list the app's routes (the route inventory, the conformance suite).
 * @throws Error when the instance was not built by `createApp`.
 */
export function routeRegistryOf(fastify: FastifyInstance): RouteRegistry {
  const registry = registries.get(fastify);
  if (!registry) throw new Error('no RouteRegistry on this Fastify instance: build the app with createApp()');
  return registry;
}

/**
 * A record of every route Fastify registers, kept to answer "this path
 * exists, but not for that method" with 405 and an `Allow` header
 * (RFC 9110 section 15.5.6). Fastify alone answers 404 in that case.
 *
 * It uses find-my-way, Fastify's own router, so a path matches here exactly
 * when it would match there.
 */
export class RouteRegistry {
  private readonly router = FindMyWay();
  private readonly methods = new Set<string>();
  private readonly recorded: RegisteredRoute[] = [];

  /** The `onRoute` hook that records each route; added before Nest registers its routes (before `app.init()`). */
  readonly onRoute: onRouteHookHandler = (route) => {
    // A catch-all (e.g. @fastify/cors's `OPTIONS *` preflight route) would make every path "exist".
    if (route.url === '*' || route.url === '/*') return;
    for (const method of ([] as HTTPMethods[]).concat(route.method).map((m) => m.toUpperCase() as HTTPMethod)) {
      if (method === 'HEAD' && this.router.find('HEAD', route.url)) continue;
      this.router.on(method, route.url, () => undefined);
      this.methods.add(method);
      this.recorded.push({ method, url: route.url });
    }
  };

  /** Every route registered so far, in registration order (HEAD routes Fastify adds for GET included). */
  list(): readonly RegisteredRoute[] {
    return this.recorded;
  }

  /** The methods `path` is served for (empty when the path is unknown). */
  allowedMethods(path: string): string[] {
    return [...this.methods].filter((method) => this.router.find(method as HTTPMethod, path) !== null);
  }
}
