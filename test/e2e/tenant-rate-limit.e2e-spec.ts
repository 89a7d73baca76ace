import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { expectProblem } from '../support/pipeline-assertions';
import { TenantRateLimitController } from '../support/tenancy/tenant-rate-limit.controller';
import { bootTestApp, type TestApp } from '../support/test-app';

/** RATE_LIMIT_TENANT_LIMIT (docs/rate-limiting.md): one tenant's subjects together, in memory. */
describe('per-tenant aggregate rate limit, in memory (e2e)', () => {
  let t: TestApp;
  const env = { TENANT_CLAIM: 'tenant_id', RATE_LIMIT_TENANT_LIMIT: '4', RATE_LIMIT_TENANT_WINDOW_SECONDS: '60', RATE_LIMIT_LIMIT: '100' };
  beforeAll(async () => {
    t = await bootTestApp(env, { controllers: [TenantRateLimitController] });
  });
  afterAll(async () => t.close());

  const get = (app: TestApp, url: string, tenant: string, subject: string) =>
    app.app.inject({ method: 'GET', url, headers: app.authHeader({ sub: subject, tenant_id: tenant }) });

  it("refuses a tenant's requests over the limit, all its subjects together, with a 429 problem and Retry-After", async () => {
    const statuses: number[] = [];
    for (const subject of ['alice', 'bob', 'carol', 'alice'])
      statuses.push((await get(t, '/tenant-limit-test/ping', 'noisy', subject)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const refused = await get(t, '/tenant-limit-test/ping', 'noisy', 'dave');
    expect(expectProblem(refused, 429)).toMatchObject({
      type: 'tag:nest-chassis,2026:problems/rate-limited',
      detail: expect.stringMatching(/for this tenant/),
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    const metric = await t.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('rate_limit_rejections_total')!.get();
    expect(metric.values.find((value) => value.labels.policy === 'tenant.aggregate')?.value).toBe(1);
  });

  it('leaves other tenants, including the same subject in another tenant, their own budget', async () => {
    for (let i = 0; i < 4; i++) expect((await get(t, '/tenant-limit-test/ping', 'quiet', 'alice')).statusCode).toBe(200);
    expect((await get(t, '/tenant-limit-test/ping', 'other', 'alice')).statusCode).toBe(200);
    expect((await get(t, '/tenant-limit-test/ping', 'quiet', 'bob')).statusCode).toBe(429);
  });

  it('does not count @SkipThrottle() and public routes', async () => {
    for (let i = 0; i < 6; i++) expect((await get(t, '/tenant-limit-test/unlimited', 'skipper', 'alice')).statusCode).toBe(200);
    for (let i = 0; i < 6; i++) expect((await t.app.inject({ method: 'GET', url: '/tenant-limit-test/public' })).statusCode).toBe(200);
    expect((await get(t, '/tenant-limit-test/ping', 'skipper', 'alice')).statusCode).toBe(200);
  });

  it('is off with tenancy off, whatever RATE_LIMIT_TENANT_LIMIT says', async () => {
    const tenancyOff: Record<string, string> = { ...env };
    delete tenancyOff.TENANT_CLAIM;
    const off = await bootTestApp(tenancyOff, { controllers: [TenantRateLimitController] });
    try {
      for (let i = 0; i < 6; i++) expect((await get(off, '/tenant-limit-test/ping', 'noisy', `user-${i}`)).statusCode).toBe(200);
    } finally {
      await off.close();
    }
  });
});
