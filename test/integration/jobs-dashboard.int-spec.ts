import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { routeInventory } from '../../src/core/contract/route-inventory';
import { JobsTestModule } from '../support/jobs/jobs-test.module';
import { testRedisUrl } from '../support/redis-server';
import { bootTestApp, type TestApp } from '../support/test-app';

/** Every key of this run starts with it: other suites share the Redis. */
const prefix = `jobs-dashboard-it-${process.pid}-${randomUUID().slice(0, 8)}`;
const DASHBOARD = '/admin/queues';

describe('the jobs dashboard (Bull Board, integration, real Redis)', () => {
  let t: TestApp;
  let raw: Redis;

  beforeAll(async () => {
    raw = new Redis(testRedisUrl());
    t = await bootTestApp(
      { DATABASE_URL: 'sqlite::memory:', REDIS_URL: testRedisUrl(), JOBS_KEY_PREFIX: prefix, JOBS_DASHBOARD_ENABLED: 'true' },
      { after: [JobsTestModule] },
    );
  });
  afterAll(async () => {
    await t?.close();
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.unlink(...keys);
    await raw.quit();
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it.each([DASHBOARD, `${DASHBOARD}/api/queues`, `${DASHBOARD}/static/favicon-32x32.png`])(
    '%s: anonymous is a 401 problem, a token without the admin role a 403 naming it',
    async (url) => {
      const anonymous = await get(url);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer');
      expect(anonymous.json<{ requestId: string }>().requestId).toBe(anonymous.headers['x-request-id']);

      const invalid = await get(url, { authorization: 'Bearer not-a-token' });
      expect(invalid.statusCode).toBe(401);

      const user = await get(url, t.authHeader({ roles: ['user'] }));
      expect(user.statusCode).toBe(403);
      expect(user.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(user.json()).toMatchObject({ missingRoles: ['admin'] });
    },
  );

  it('an admin gets the page, and the API lists the declared queue with its counts', async () => {
    const admin = t.authHeader({ roles: ['admin'] });
    const page = await get(DASHBOARD, admin);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['x-request-id']).toBeDefined();

    const added = await t.app.inject({ method: 'POST', url: '/jobs-test/probe', payload: { label: 'dashboard', failTimes: 100 } });
    expect(added.statusCode).toBe(201);

    const api = await get(`${DASHBOARD}/api/queues?activeQueue=probe&status=latest&page=1`, admin);
    expect(api.statusCode).toBe(200);
    const { queues } = api.json<{ queues: { name: string; counts: Record<string, number> }[] }>();
    const probe = queues.find((queue) => queue.name === 'probe');
    expect(probe).toBeDefined();
    expect(Object.keys(probe!.counts)).toEqual(expect.arrayContaining(['waiting', 'active', 'delayed', 'failed', 'completed']));
    const total = Object.values(probe!.counts).reduce((sum, count) => sum + count, 0);
    expect(total).toBeGreaterThanOrEqual(1);
  });

  it('the route inventory declares every dashboard route admin-only, and each one refuses an anonymous request', async () => {
    const routes = routeInventory(t.app).filter((route) => route.path.startsWith(DASHBOARD));
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        `GET ${DASHBOARD}`,
        `GET ${DASHBOARD}/api/queues`,
        `PUT ${DASHBOARD}/api/queues/:queueName/retry/:queueStatus`,
      ]),
    );
    for (const route of routes) {
      expect({ route: route.path, auth: route.auth, roles: route.roles, source: route.source }).toEqual({
        route: route.path,
        auth: 'authenticated',
        roles: ['admin'],
        source: 'fastify',
      });
      const url = route.path.replace(/:[^/]+/g, 'x').replace(/\*$/, 'x');
      const response = await t.app.inject({ method: route.method as 'GET', url });
      expect({ route: `${route.method} ${route.path}`, status: response.statusCode }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
    }
  });

  it('an admin gets the static assets too', async () => {
    const asset = await get(`${DASHBOARD}/static/favicon-32x32.png`, t.authHeader({ roles: ['admin'] }));
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('image/png');
  });

  it('every dashboard request is logged and counted like any other (access log line, route template in the metrics)', async () => {
    const refused = await get(`${DASHBOARD}/api/queues`);
    expect(refused.statusCode).toBe(401);
    const line = t.logs.lines.find((entry) => entry.requestId === refused.headers['x-request-id'] && entry.statusCode === 401);
    expect(line).toMatchObject({ method: 'GET', url: `${DASHBOARD}/api/queues`, route: `${DASHBOARD}/api/queues` });
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(
      new RegExp(`http_server_request_duration_seconds_count\\{[^}]*route="${DASHBOARD}/api/queues"[^}]*status_code="401"`),
    );
  });
});

describe('the jobs dashboard is not served', () => {
  it('when not enabled (the default), on Redis', async () => {
    const t = await bootTestApp({ DATABASE_URL: 'sqlite::memory:', REDIS_URL: testRedisUrl(), JOBS_KEY_PREFIX: `${prefix}-off` });
    try {
      const response = await t.app.inject({ method: 'GET', url: DASHBOARD, headers: t.authHeader({ roles: ['admin'] }) });
      expect(response.statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('on the in-process engine, and the boot log says why in one info line', async () => {
    const t = await bootTestApp({ DATABASE_URL: 'sqlite::memory:', JOBS_DASHBOARD_ENABLED: 'true' }, { after: [JobsTestModule] });
    try {
      const response = await t.app.inject({ method: 'GET', url: DASHBOARD, headers: t.authHeader({ roles: ['admin'] }) });
      expect(response.statusCode).toBe(404);
      const lines = t.logs.lines.filter((line) => String(line.msg).startsWith('Jobs dashboard not served'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'info' });
    } finally {
      await t.close();
    }
  });
});
