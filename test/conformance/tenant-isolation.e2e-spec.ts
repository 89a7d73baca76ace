import type { AddressInfo } from 'node:net';
import type { Response } from 'light-my-request';
import { DataSource, IsNull } from 'typeorm';
import { OutboxEvent } from '../../src/core/events/outbox-event.entity';
import { routeInventory, type RouteInventoryEntry } from '../../src/core/contract/route-inventory';
import { FeaturesModule } from '../../src/features/features.module';
import { eventually } from '../support/events/events-test.module';
import { openStream, type OpenStream } from '../support/streaming-client';
import { sampleBody } from '../support/tenancy/sample-body';
import { bodyTypeOf, tenantScopedControllers } from '../support/tenancy/tenant-scoped-controllers';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * Cross-tenant isolation, checked for EVERY route of every tenant-scoped
 * feature (a controller whose module registers a `@TenantScoped()` entity),
 * enumerated from the route inventory, so a new feature is covered without a
 * test of its own (docs/tenancy.md). Per feature resource (a `POST` collection
 * route and the routes under it):
 *
 * 1. tenant A creates a row with a body generated from the create DTO's rules;
 * 2. tenant B with the same subject creates the same body (uniqueness holds
 *    per tenant: a 409 would reveal A's row);
 * 3. once the domain events of both creates are delivered (a feature's reads
 *    may show their effects, such as the items history), tenant B — the same
 *    subject, then with the `admin` role — reads, lists, updates and deletes
 *    A's row through every route: never visible (list bodies never contain
 *    its id), never changed, 404 not 403;
 * 4. A still reads the row exactly as it was.
 *
 * Every stream route (`@EventStream()`) of such a feature is opened over HTTP
 * by tenant A and by tenant B (same subject, also as admin) while A changes
 * its row through the feature's other routes: A's stream shows the row's id
 * (the check can see), B's never does; on a route naming A's row B gets 404.
 */
const TENANT_A = 'conformance-a';
const TENANT_B = 'conformance-b';
/** The stream check's own tenants: its rows are created with the same generated bodies. */
const STREAM_TENANT_A = 'conformance-stream-a';
const STREAM_TENANT_B = 'conformance-stream-b';
const SUBJECT = 'conformance-same-subject';

describe('conformance: every route of a tenant-scoped feature keeps tenants apart', () => {
  let t: TestApp;
  let routes: RouteInventoryEntry[];
  beforeAll(async () => {
    t = await bootTestApp({ TENANT_CLAIM: 'tenant_id', RATE_LIMIT_LIMIT: '1000000', SSE_HEARTBEAT_SECONDS: '0.2' });
    const scoped = tenantScopedControllers(t.app);
    routes = routeInventory(t.app, { featureRoot: FeaturesModule }).filter(
      (route) => route.feature && route.source === 'nest' && route.controller !== null && scoped.has(route.controller),
    );
  });
  afterAll(async () => t.close());

  const label = (route: RouteInventoryEntry) => `${route.method} ${route.path}`;
  /** The feature's resources: a POST route on a path without parameters, with the routes under that path. */
  const resources = () =>
    routes
      .filter((route) => route.method === 'POST' && !route.path.includes(':'))
      .map((create) => ({
        create,
        // Stream routes stay open, so a response never ends: they are checked over HTTP, in the test below.
        members: routes.filter((route) => route !== create && !route.stream && route.path.startsWith(create.path)),
        streams: routes.filter((route) => route.stream && route.path.startsWith(create.path)),
      }));
  const callerOf = (tenant: string, members: RouteInventoryEntry[], extraRoles: string[] = []) => {
    const scopes = [...new Set(members.flatMap((route) => route.scopes))];
    const roles = [...new Set([...members.flatMap((route) => route.roles), ...extraRoles])];
    return t.authHeader({ sub: SUBJECT, tenant_id: tenant, scope: scopes.join(' '), roles });
  };
  const send = (route: RouteInventoryEntry, id: string, auth: Record<string, string>, body?: object): Promise<Response> =>
    t.app.inject({
      method: route.method as 'GET',
      url: route.path.replace(/:[^/]+/g, id),
      headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const bodyFor = (route: RouteInventoryEntry, update: boolean) => {
    const type = bodyTypeOf(t.app, route.controller!, route.handler!);
    return type === undefined ? (route.bodyLimitBytes === null ? undefined : {}) : sampleBody(type, update);
  };
  /** Every domain event published so far has reached its handlers (the outbox marks a row published after them). */
  const eventsDelivered = () =>
    eventually(async () => (await t.app.get(DataSource).getRepository(OutboxEvent).countBy({ publishedAt: IsNull() })) === 0, 10_000);
  const idOf = (response: Response): string | undefined =>
    response.json<{ id?: string }>().id ??
    String(response.headers.location ?? '')
      .split('/')
      .pop();

  it('finds the tenant-scoped features’ routes (items at least)', () => {
    expect(resources().map(({ create }) => label(create))).toEqual(expect.arrayContaining(['POST /items']));
  });

  it('never shows or changes a row of tenant A to tenant B (same subject, also as admin): 404, not 403', async () => {
    const failures: string[] = [];
    for (const { create, members } of resources()) {
      const all = [create, ...members];
      const a = callerOf(TENANT_A, all);
      const body = bodyFor(create, false);
      const created = await send(create, '', a, body);
      const id = created.statusCode < 300 ? idOf(created) : undefined;
      if (id === undefined) {
        failures.push(`${label(create)} as tenant A: ${created.statusCode} ${created.body}`);
        continue;
      }
      const sameInB = await send(create, '', callerOf(TENANT_B, all), body);
      if (sameInB.statusCode >= 300) failures.push(`${label(create)}: the same body in tenant B answered ${sameInB.statusCode}`);
      const reads = members.filter((route) => route.method === 'GET' && route.path.includes(':'));
      if (!(await eventsDelivered())) failures.push(`${label(create)}: its domain events were not delivered within 10 s`);
      const before = await Promise.all(reads.map((route) => send(route, id, a)));
      for (const caller of [callerOf(TENANT_B, all), callerOf(TENANT_B, all, ['admin'])]) {
        for (const route of members) {
          const response = await send(route, id, caller, route.method === 'GET' ? undefined : bodyFor(route, true));
          if (!route.path.includes(':')) {
            if (response.body.includes(id)) failures.push(`${label(route)} lists tenant A's ${id} to tenant B`);
          } else if (response.statusCode !== 404) {
            failures.push(`${label(route)} on tenant A's row as tenant B answered ${response.statusCode}, expected 404`);
          }
        }
      }
      const after = await Promise.all(reads.map((route) => send(route, id, a)));
      reads.forEach((route, i) => {
        if (after[i].statusCode !== 200 || after[i].body !== before[i].body) failures.push(`${label(route)}: tenant A's row changed`);
      });
    }
    expect(failures).toEqual([]);
  });
  it("never streams tenant A's changes to tenant B (every stream route, same subject, also as admin)", async () => {
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const failures: string[] = [];
    const opened: OpenStream[] = [];
    try {
      for (const { create, members, streams } of resources()) {
        const all = [create, ...members, ...streams];
        const a = callerOf(STREAM_TENANT_A, all);
        const created = await send(create, '', a, bodyFor(create, false));
        const id = created.statusCode < 300 ? idOf(created) : undefined;
        if (id === undefined) {
          if (streams.length > 0) failures.push(`${label(create)} as tenant ${STREAM_TENANT_A}: ${created.statusCode} ${created.body}`);
          continue;
        }
        const bCallers = [callerOf(STREAM_TENANT_B, all), callerOf(STREAM_TENANT_B, all, ['admin'])];
        for (const route of streams) {
          const path = route.path.replace(/:[^/]+/g, id);
          const watch = async (auth: Record<string, string>) => {
            const stream = await openStream(port, path, auth);
            opened.push(stream);
            return stream;
          };
          const ofA = await watch(a);
          const ofB = await Promise.all(bCallers.map(watch));
          if (route.path.includes(':')) {
            ofB.forEach(
              (stream) =>
                stream.statusCode !== 404 && failures.push(`${label(route)} on tenant A's row as tenant B answered ${stream.statusCode}`),
            );
          }
          // Subscribed once the first keep-alive is in; then A changes its row through every other route.
          await Promise.all(
            [ofA, ...ofB].filter((stream) => stream.statusCode === 200).map((stream) => stream.until((e) => e.comment === 'keep-alive')),
          );
          for (const change of members.filter((member) => member.method !== 'GET' && member.path.includes(':')))
            await send(change, id, a, bodyFor(change, true));
          const seenByA = await ofA.until((e) => e.data?.includes(id) === true, 5_000).catch(() => undefined);
          if (seenByA === undefined) failures.push(`${label(route)}: tenant A's own stream never showed its change (the check cannot see)`);
          // As long again for B's streams, which would have shown it by now.
          await new Promise((resolve) => setTimeout(resolve, 500));
          ofB.forEach((stream) => stream.text().includes(id) && failures.push(`${label(route)} streamed tenant A's ${id} to tenant B`));
        }
      }
    } finally {
      opened.forEach((stream) => stream.close());
    }
    expect(failures).toEqual([]);
  });
});
