import { find, parseSamples } from '../support/prometheus-text';
import { TcpProxy } from '../support/tcp-proxy';
import { bootTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const databaseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const redisUrl = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

type Body = { status: string; checks: Record<string, { status: string }> };

/** Polls readiness until `status` (bounded: reconnection back-off is a few seconds at most). */
async function readinessBecomes(t: TestApp, status: number): Promise<Body> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await t.app.inject({ method: 'GET', url: '/health/ready' });
    if (response.statusCode === status) return response.json<Body>();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`readiness never answered ${status}`);
}

/** Runs `expectations` with `proxy` cut, restoring it even when one fails, so the next tests start connected. */
async function whileCut(proxy: TcpProxy, expectations: () => Promise<void>): Promise<void> {
  await proxy.cut();
  try {
    await expectations();
  } finally {
    await proxy.restore();
  }
}

describe('readiness against real PostgreSQL and Redis, Redis marked critical (integration)', () => {
  const database = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
  const redis = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  let t: TestApp;

  beforeAll(async () => {
    await database.start();
    await redis.start();
    const viaProxy = (url: URL, port: number) => Object.assign(new URL(url.href), { hostname: '127.0.0.1', port: String(port) }).href;
    t = await bootTestApp({
      DATABASE_URL: viaProxy(databaseUrl, database.port),
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: viaProxy(redisUrl, redis.port),
      HEALTH_REDIS_CRITICAL: 'true',
      HEALTH_CACHE_SECONDS: '0',
      HEALTH_CHECK_TIMEOUT_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await t?.close();
    await database.stop();
    await redis.stop();
  });

  const live = async () => (await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode;

  it('is ready with the database and Redis up', async () => {
    // Right after the boot the chassis's queue workers (domain events) open their Redis connections
    // through the same proxy: the cache's 100 ms ping may miss the very first probe (degraded, still 200).
    for (let attempt = 0; attempt < 20 && (await readinessBecomes(t, 200)).status !== 'ok'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await readinessBecomes(t, 200)).toEqual({
      status: 'ok',
      checks: {
        database: { status: 'up', critical: true },
        redis: { status: 'up', critical: true },
        cache: { status: 'up', critical: false },
      },
    });
  });

  it('answers 503 while the database is unreachable, liveness staying 200, and recovers', async () => {
    await whileCut(database, async () => {
      const body = await readinessBecomes(t, 503);
      expect(body.checks).toEqual({
        database: { status: 'down', critical: true },
        redis: { status: 'up', critical: true },
        cache: { status: 'up', critical: false },
      });
      expect(await live()).toBe(200);
    });
    expect((await readinessBecomes(t, 200)).status).toBe('ok');
  });

  it('answers 503 while Redis is unreachable, liveness staying 200, and recovers', async () => {
    await whileCut(redis, async () => {
      const body = await readinessBecomes(t, 503);
      // The cache shares the Redis connection: down too, but not critical.
      expect(body.checks).toEqual({
        database: { status: 'up', critical: true },
        redis: { status: 'down', critical: true },
        cache: { status: 'down', critical: false },
      });
      expect(await live()).toBe(200);
    });
    expect((await readinessBecomes(t, 200)).status).toBe('ok');
  });

  it('exports the PostgreSQL pool gauges', async () => {
    await t.app.inject({ method: 'GET', url: '/items' });
    const samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    expect(find(samples, 'db_client_connection_max').map((s) => s.value)).toEqual([4]);
    const idle = find(samples, 'db_client_connection_count', { state: 'idle' });
    const used = find(samples, 'db_client_connection_count', { state: 'used' });
    expect(idle).toHaveLength(1);
    expect(used).toHaveLength(1);
    expect(idle[0].value + used[0].value).toBeGreaterThan(0);
    expect(find(samples, 'db_client_connection_pending_requests').map((s) => s.value)).toEqual([0]);
  });
});

describe('readiness with Redis non-critical, the default (integration)', () => {
  const redis = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  let t: TestApp;
  beforeAll(async () => {
    await redis.start();
    t = await bootTestApp({
      DATABASE_URL: databaseUrl.href,
      REDIS_URL: Object.assign(new URL(redisUrl.href), { hostname: '127.0.0.1', port: String(redis.port) }).href,
      HEALTH_CACHE_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t?.close();
    await redis.stop();
  });

  it('stays ready but degraded while Redis is unreachable', async () => {
    await redis.cut();
    for (let attempt = 0; attempt < 100; attempt++) {
      const response = await t.app.inject({ method: 'GET', url: '/health/ready' });
      const body = response.json<Body>();
      if (body.status === 'degraded') {
        expect(response.statusCode).toBe(200);
        expect(body.checks.redis).toEqual({ status: 'down', critical: false });
        expect(body.checks.cache).toEqual({ status: 'down', critical: false });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('readiness never reported degraded');
  });
});
