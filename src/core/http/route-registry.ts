import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { FastifyInstance, HTTPMethods } from 'fastify';

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

  /** Starts recording; call before Nest registers its routes (before `app.init()`). */
  attach(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      // A catch-all (e.g. @fastify/cors's `OPTIONS *` preflight route) would make every path "exist".
      if (route.url === '*' || route.url === '/*') return;
      for (const method of ([] as HTTPMethods[]).concat(route.method).map((m) => m.toUpperCase() as HTTPMethod)) {
        if (method === 'HEAD' && this.router.find('HEAD', route.url)) continue;
        this.router.on(method, route.url, () => undefined);
        this.methods.add(method);
      }
    });
  }

  /** The methods `path` is served for (empty when the path is unknown). */
  allowedMethods(path: string): string[] {
    return [...this.methods].filter((method) => this.router.find(method as HTTPMethod, path) !== null);
  }
}
