import type { Response } from 'light-my-request';
import type { AppConfig } from '../../src/core/config/app-config';
import { APP_CONFIG } from '../../src/core/config/config.tokens';
import { routeInventory, type RouteInventoryEntry } from '../../src/core/contract/route-inventory';
import { routeRegistryOf } from '../../src/core/routing/route-registry';
import { API_SECURITY_HEADERS } from '../../src/core/security/security-headers';
import { FeaturesModule } from '../../src/features/features.module';
import { find, parseSamples } from '../support/prometheus-text';
import type { AddressInfo } from 'node:net';
import { openStream } from '../support/streaming-client';
import { StreamingTestModule } from '../support/streaming-test.module';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * The chassis's guarantees, checked for EVERY route the real app exposes —
 * enumerated from the app itself (Fastify's route table joined with Nest's
 * metadata), never from a hand-written list. A new feature's routes are
 * checked here without a test of their own:
 *
 * 1. unauthenticated access is refused (401 problem+json) unless the route is public;
 * 2. a token with the route's scopes and roles gets past authentication, one
 *    scope short gets a 403 naming it;
 * 3. every response carries X-Request-ID, X-Correlation-ID and the security headers;
 * 4. every request is counted in http_server_request_duration_seconds under
 *    the route's template, never the raw path;
 * 5. errors are problem+json: 401/403 above, 405 for a method the path does
 *    not serve, 415 for a non-JSON body.
 *
 * Event-stream routes (`@EventStream()`, `stream` in the inventory) stay open:
 * they are requested over a real socket and judged by their status and
 * headers, without waiting for the body to end. The test-only stream routes
 * are mounted so that a stream route is always among those checked.
 */
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

describe('conformance: every route inherits the chassis guarantees', () => {
  let t: TestApp;
  let routes: RouteInventoryEntry[];
  let docsPath: string;
  let port: number;
  beforeAll(async () => {
    t = await bootTestApp({}, { after: [StreamingTestModule] });
    routes = routeInventory(t.app, { featureRoot: FeaturesModule });
    docsPath = t.app.get<AppConfig>(APP_CONFIG).openApi.path;
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => t.close());

  /**
   * A concrete URL for a template: every `:param` a UUID; a wildcard an existing
   * file (Swagger UI's static assets: a missing file would be answered by the
   * not-found handler, outside the route) or one segment.
   */
  const urlOf = (route: RouteInventoryEntry) =>
    route.path.replace(/:[^/]+/g, SAMPLE_ID).replace(/\*$/, route.path === `${docsPath}/*` ? 'swagger-ui.css' : 'x');
  const label = (route: RouteInventoryEntry) => `${route.method} ${route.path}`;
  const send = (route: RouteInventoryEntry, headers: Record<string, string> = {}, method = route.method): Promise<Response> =>
    route.stream ? head(route, headers) : inject(route, headers, method);
  /** A stream route's answer: its status and headers, and its body only when it is a problem (a stream is hung up on). */
  const head = async (route: RouteInventoryEntry, headers: Record<string, string>): Promise<Response> => {
    const stream = await openStream(port, urlOf(route), headers);
    if (String(stream.headers['content-type']).startsWith('text/event-stream')) stream.close();
    else await stream.ended;
    const body = stream.text();
    return { statusCode: stream.statusCode, headers: stream.headers, body, json: () => JSON.parse(body) as unknown } as unknown as Response;
  };
  const inject = (route: RouteInventoryEntry, headers: Record<string, string>, method: string) =>
    t.app.inject({
      method: method as 'GET',
      url: urlOf(route),
      headers: route.bodyLimitBytes !== null ? { 'content-type': 'application/json', ...headers } : headers,
      ...(route.bodyLimitBytes !== null ? { payload: '{}' } : {}),
    });
  /** Problems with a problem+json answer, as text (empty when it conforms). */
  const problemIssues = (response: Response, status: number): string[] => {
    const issues: string[] = [];
    if (response.statusCode !== status) issues.push(`status ${response.statusCode}, expected ${status}`);
    if (!String(response.headers['content-type']).startsWith('application/problem+json'))
      issues.push(`content-type ${response.headers['content-type']}`);
    else if (response.json<{ requestId?: string }>().requestId !== response.headers['x-request-id'])
      issues.push('requestId missing from the problem');
    return issues;
  };

  it('enumerates the app’s routes from the app: every registered route, feature routes included', () => {
    const registered = routeRegistryOf(t.app.getHttpAdapter().getInstance()).list();
    const gets = new Set(registered.filter((r) => r.method === 'GET').map((r) => r.url));
    const expected = registered.filter((r) => !(r.method === 'HEAD' && gets.has(r.url))).map((r) => `${r.method} ${r.url}`);
    expect(routes.map(label).sort()).toEqual(expected.sort());
    expect(routes.filter((r) => r.feature).length).toBeGreaterThan(0);
    expect(routes.map(label)).toEqual(expect.arrayContaining(['GET /health/live', 'GET /metrics', 'POST /items']));
  });

  it('refuses unauthenticated access (401 problem+json, WWW-Authenticate) unless the route is public', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const response = await send(route);
      if (route.auth === 'authenticated') {
        const issues = problemIssues(response, 401);
        if (!response.headers['www-authenticate']) issues.push('no WWW-Authenticate');
        if (issues.length > 0) failures.push(`${label(route)}: ${issues.join(', ')}`);
      } else if ([401, 403].includes(response.statusCode)) {
        failures.push(`${label(route)} is public but answered ${response.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets a token with the route’s scopes and roles through, and answers 403 (problem+json) one scope short', async () => {
    const failures: string[] = [];
    for (const [i, route] of routes.filter((r) => r.auth === 'authenticated').entries()) {
      const claims = { sub: `conformance-${i}`, scope: route.scopes.join(' '), roles: [...route.roles] };
      const allowed = await send(route, t.authHeader(claims));
      if ([401, 403].includes(allowed.statusCode))
        failures.push(`${label(route)} refused a token with its scopes/roles: ${allowed.statusCode}`);
      if (allowed.statusCode >= 400 && problemIssues(allowed, allowed.statusCode).length > 0) {
        failures.push(`${label(route)}: error ${allowed.statusCode} is not problem+json`);
      }
      if (route.scopes.length > 0) {
        const short = await send(route, t.authHeader({ ...claims, scope: route.scopes.slice(1).join(' ') }));
        const issues = problemIssues(short, 403);
        if (issues.length === 0 && !(short.json<{ missingScopes?: string[] }>().missingScopes ?? []).includes(route.scopes[0])) {
          issues.push('missingScopes does not name the missing scope');
        }
        if (issues.length > 0) failures.push(`${label(route)} one scope short: ${issues.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('puts a request id, a correlation id and the security headers on every response', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const response = await send(route);
      const missing: string[] = [];
      if (!/^[0-9a-f-]{36}$/.test(String(response.headers['x-request-id']))) missing.push('x-request-id');
      if (!response.headers['x-correlation-id']) missing.push('x-correlation-id');
      for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) {
        const docsPage = route.path.startsWith(docsPath) && name === 'content-security-policy';
        if (response.headers[name] === undefined || (!docsPage && response.headers[name] !== value)) missing.push(name);
      }
      if (missing.length > 0) failures.push(`${label(route)}: ${missing.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers a stream route with text/event-stream at once, uncached and unbuffered, without waiting for its end', async () => {
    const streams = routes.filter((r) => r.stream);
    expect(streams.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const [i, route] of streams.entries()) {
      const response = await send(
        route,
        t.authHeader({ sub: `conformance-stream-${i}`, scope: route.scopes.join(' '), roles: [...route.roles] }),
      );
      if (response.statusCode >= 400) continue;
      const issues: string[] = [];
      if (!String(response.headers['content-type']).startsWith('text/event-stream'))
        issues.push(`content-type ${response.headers['content-type']}`);
      if (response.headers['cache-control'] !== 'no-cache') issues.push(`cache-control ${response.headers['cache-control']}`);
      if (response.headers['content-encoding'] !== undefined) issues.push('compressed');
      if (issues.length > 0) failures.push(`${label(route)}: ${issues.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers a method the path does not serve with 405 problem+json, and a non-JSON body with 415 problem+json', async () => {
    const failures: string[] = [];
    const methodsByPath = new Map<string, Set<string>>();
    for (const route of routes) methodsByPath.set(route.path, (methodsByPath.get(route.path) ?? new Set()).add(route.method));
    for (const [path, methods] of methodsByPath) {
      const unserved = ['PUT', 'PATCH', 'POST', 'DELETE', 'GET'].find((m) => !methods.has(m))!;
      const route = routes.find((r) => r.path === path)!;
      const response = await t.app.inject({ method: unserved as 'GET', url: urlOf(route) });
      const issues = problemIssues(response, 405);
      if (issues.length > 0) failures.push(`${unserved} ${path}: ${issues.join(', ')}`);
    }
    for (const route of routes.filter((r) => r.bodyLimitBytes !== null && r.source === 'nest')) {
      const response = await t.app.inject({
        method: route.method as 'POST',
        url: urlOf(route),
        headers: { 'content-type': 'text/plain', ...t.authHeader({ sub: 'conformance-415', scope: route.scopes.join(' ') }) },
        payload: 'not json',
      });
      const issues = problemIssues(response, 415);
      if (issues.length > 0) failures.push(`${label(route)} with text/plain: ${issues.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('counts every route in http_server_request_duration_seconds under its template, never the raw path', async () => {
    for (const route of routes) await send(route);
    const samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    const failures = routes
      .filter(
        (route) => find(samples, 'http_server_request_duration_seconds_count', { method: route.method, route: route.path }).length === 0,
      )
      .map(label);
    expect(failures).toEqual([]);
    const routeLabels = find(samples, 'http_server_request_duration_seconds_count').map((s) => s.labels.route);
    expect(routeLabels.filter((r) => r.includes(SAMPLE_ID))).toEqual([]);
  });
});
