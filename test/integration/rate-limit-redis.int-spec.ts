import Redis from 'ioredis';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { REDIS_CLIENT } from '../../src/core/redis/redis.tokens';
import { expectPipelineHeaders, expectProblem } from '../support/pipeline-assertions';
import { OwnRedisServer, testRedisUrl, waitFor } from '../support/redis-server';
import { bootTestApp, type TestApp } from '../support/test-app';

/** Keys of this run only: other suites share the machine's Redis. */
const prefix = `test:rate-limit:${process.pid}-${Date.now()}:`;

const clientOf = (t: TestApp) => t.app.get<Redis>(REDIS_CLIENT);
const ready = (t: TestApp) => waitFor('the app’s Redis client', () => clientOf(t).status === 'ready');
/**
 * An authenticated GET: the caller is a real bearer token whose subject is
 * derived from the address, so each address is one principal (the
 * rate-limit tracker for authenticated requests) and both app instances,
 * which share the development secret, see the same principal.
 */
const get = (t: TestApp, remoteAddress = '198.51.100.10') =>
  t.app.inject({
    method: 'GET',
    url: '/items',
    remoteAddress,
    headers: t.authHeader({ sub: `user-${remoteAddress}`, scope: 'items:read' }),
  });

async function storageErrors(t: TestApp): Promise<number> {
  const metric = await t.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('rate_limit_storage_errors_total')!.get();
  return metric.values[0]?.value ?? 0;
}

// The fail-mode apps boot first: nestjs-pino writes every app's logs to the first app's capture.
describe('rate limiting with Redis stopped mid-test (own redis-server)', () => {
  let server: OwnRedisServer;
  let open: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    server = await OwnRedisServer.start();
    // The outage opens the open-mode app's Redis circuit (5 failures); it probes Redis again 1 s after (docs/health-checks.md#circuit-breakers).
    const env = {
      REDIS_URL: server.url,
      RATE_LIMIT_REDIS_KEY_PREFIX: prefix,
      RATE_LIMIT_LIMIT: '2',
      CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: '1',
    };
    open = await bootTestApp({ ...env, RATE_LIMIT_FAIL_MODE: 'open' });
    closed = await bootTestApp({ ...env, RATE_LIMIT_FAIL_MODE: 'closed' });
    await Promise.all([ready(open), ready(closed)]);
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
    await server?.stop();
  });

  it('limits while Redis is up', async () => {
    const response = await get(open, '198.51.100.1');
    expect(response.statusCode).toBe(200);
    expect(response.headers['ratelimit-remaining']).toBe('1');
  });

  it('fails open: requests pass without RateLimit headers, counted, with one warning per interval', async () => {
    await server.stop();
    await waitFor('the client to notice', () => clientOf(open).status !== 'ready');
    for (let i = 0; i < 5; i++) {
      const response = await get(open, '198.51.100.2');
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
      expectPipelineHeaders(response);
    }
    expect(await storageErrors(open)).toBe(5);
    const warnings = open.logs.withMessage('Rate-limit storage unavailable; applying the fail mode');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', failMode: 'open', failures: 1 });
  });

  it('fails closed: a 503 problem with Retry-After, never a 500', async () => {
    await waitFor('the client to notice', () => clientOf(closed).status !== 'ready');
    const response = await get(closed, '198.51.100.3');
    const body = expectProblem(response, 503);
    expect(body.type).toBe('tag:nest-chassis,2026:problems/rate-limit-unavailable');
    expect(response.headers['retry-after']).toBe('5');
    expectPipelineHeaders(response);
    expect(await storageErrors(closed)).toBe(1);
  });

  it('limits again once Redis is back', async () => {
    await server.restart();
    await Promise.all([ready(open), ready(closed)]);
    await new Promise((resolve) => setTimeout(resolve, 1200)); // past the half-open delay: the next call is the probe
    expect((await get(open, '198.51.100.4')).headers['ratelimit-remaining']).toBe('1');
    expect((await get(closed, '198.51.100.4')).statusCode).toBe(200);
    expect((await get(open, '198.51.100.4')).statusCode).toBe(429);
  });
});

describe('rate limiting with Redis shared by two app instances', () => {
  let first: TestApp;
  let second: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    const env = { REDIS_URL: testRedisUrl(), RATE_LIMIT_REDIS_KEY_PREFIX: prefix, RATE_LIMIT_LIMIT: '4', RATE_LIMIT_WINDOW_SECONDS: '60' };
    first = await bootTestApp(env);
    second = await bootTestApp(env);
    redis = new Redis(testRedisUrl());
    await Promise.all([ready(first), ready(second)]);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.unlink(...keys);
    redis.disconnect();
    await first?.close();
    await second?.close();
  });

  it('enforces one limit across both instances', async () => {
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (const app of [first, second, first, second, first, second]) {
      const response = await get(app, '198.51.100.20');
      statuses.push(response.statusCode);
      remaining.push(String(response.headers['ratelimit-remaining']));
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(remaining).toEqual(['3', '2', '1', '0', '0', '0']);
    expect((await get(second, '198.51.100.21')).statusCode).toBe(200);
  });

  it('stores one counter per bucket, under the rate-limit prefix, always with an expiry', async () => {
    await get(first, '198.51.100.22');
    const key = `${prefix}default:sub:user-198.51.100.22`;
    expect(await redis.get(key)).toBe('1');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
