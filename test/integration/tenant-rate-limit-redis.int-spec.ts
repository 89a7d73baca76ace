import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../src/core/redis/redis.tokens';
import { expectProblem } from '../support/pipeline-assertions';
import { testRedisUrl, waitFor } from '../support/redis-server';
import { TenantRateLimitController } from '../support/tenancy/tenant-rate-limit.controller';
import { bootTestApp, type TestApp } from '../support/test-app';

/** Keys of this run only: other suites share the machine's Redis. */
const prefix = `test:tenant-rate-limit:${process.pid}-${Date.now()}:`;

/** RATE_LIMIT_TENANT_LIMIT on Redis: one budget per tenant across replicas (docs/rate-limiting.md). */
describe('per-tenant aggregate rate limit on Redis shared by two app instances', () => {
  let first: TestApp;
  let second: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    const env = {
      DATABASE_URL: 'sqlite::memory:',
      REDIS_URL: testRedisUrl(),
      RATE_LIMIT_REDIS_KEY_PREFIX: prefix,
      TENANT_CLAIM: 'tenant_id',
      RATE_LIMIT_TENANT_LIMIT: '4',
      RATE_LIMIT_TENANT_WINDOW_SECONDS: '60',
    };
    first = await bootTestApp(env, { controllers: [TenantRateLimitController] });
    second = await bootTestApp(env, { controllers: [TenantRateLimitController] });
    redis = new Redis(testRedisUrl());
    await Promise.all(
      [first, second].map((t) => waitFor('the app’s Redis client', () => t.app.get<Redis>(REDIS_CLIENT).status === 'ready')),
    );
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.unlink(...keys);
    redis.disconnect();
    await first?.close();
    await second?.close();
  });

  const get = (t: TestApp, tenant: string, subject: string) =>
    t.app.inject({ method: 'GET', url: '/tenant-limit-test/ping', headers: t.authHeader({ sub: subject, tenant_id: tenant }) });

  it("counts a tenant's subjects on both instances in one bucket, and refuses over it with a 429 and Retry-After", async () => {
    const statuses: number[] = [];
    for (const [app, subject] of [
      [first, 'alice'],
      [second, 'bob'],
      [first, 'carol'],
      [second, 'dave'],
    ] as const)
      statuses.push((await get(app, 'acme', subject)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const refused = await get(first, 'acme', 'erin');
    expect(expectProblem(refused, 429)).toMatchObject({ detail: expect.stringMatching(/for this tenant/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(second, 'globex', 'alice')).statusCode).toBe(200);
    expect(await redis.get(`${prefix}tenant.aggregate:acme`)).toBe('5');
    expect(await redis.pttl(`${prefix}tenant.aggregate:acme`)).toBeGreaterThan(0);
  });
});
