import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { AppCache } from '../../src/core';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { CacheTestModule } from '../support/cache/cache-test.module';
import { OwnRedisServer } from '../support/redis-server';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * Redis failure while the app runs, on a private redis-server (the shared one
 * is never stopped). A file of its own: nestjs-pino keeps one log destination
 * per module registry, so this suite's log assertions need the only app of
 * its file.
 */

const runId = `cache-outage-${process.pid}-${randomUUID().slice(0, 8)}`;

/** Waits (bounded) until the app's Redis client is connected and the cache answers. */
async function untilCacheUp(app: TestApp): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await app.app.get(AppCache).readiness()).status === 'up') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the cache did not come up');
}

async function errorsCounted(app: TestApp): Promise<number> {
  const metric = await app.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('cache_errors_total')?.get();
  return (metric?.values ?? []).reduce((sum, value) => sum + value.value, 0);
}

describe('cache when its own Redis hangs, stops and comes back (integration)', () => {
  let redis: OwnRedisServer;
  let t: TestApp;
  const counter = (round: string) => t.app.inject({ method: 'GET', url: `/cache-test/counter?case=${round}` });

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    t = await bootTestApp(
      {
        DATABASE_URL: 'sqlite::memory:',
        REDIS_URL: redis.url,
        CACHE_KEY_PREFIX: `${runId}:cache:`,
        CACHE_OPERATION_TIMEOUT_SECONDS: '0.2',
        CACHE_CRITICAL: 'true',
        // The outages open the Redis circuit; it probes Redis again 1 s after (docs/health-checks.md#circuit-breakers).
        CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: '1',
      },
      { after: [CacheTestModule] },
    );
    await untilCacheUp(t);
  });
  afterAll(async () => {
    redis.resume();
    await t?.close();
    await redis.stop();
  });

  it('caches while Redis is up', async () => {
    expect((await counter('up')).headers['x-cache']).toBe('MISS');
    expect((await counter('up')).headers['x-cache']).toBe('HIT');
  });

  it('answers 200 uncached while Redis hangs (the per-call timeout), counting every error, warning rate-limited', async () => {
    const errorsBefore = await errorsCounted(t);
    redis.pause();
    try {
      const responses = [];
      for (let i = 0; i < 4; i++) responses.push(await counter('hung'));
      expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
      expect(responses.map((r) => r.headers['x-cache'])).toEqual(['MISS', 'MISS', 'MISS', 'MISS']);
      expect(new Set(responses.map((r) => r.json().call)).size).toBe(4);
      // Each request: a timed-out get and a timed-out set.
      expect((await errorsCounted(t)) - errorsBefore).toBe(8);
      // At most one warning per 10 s: far fewer lines than failures.
      const warnings = t.logs.withMessage('Cache unavailable; continuing without it');
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThan(8);
      expect(warnings[0]).toMatchObject({ level: 'warn', context: 'Cache', error: 'cache operation timed out after 200 ms' });
      expect(await t.app.get(AppCache).readiness()).toMatchObject({ status: 'down', critical: true, detail: { store: 'redis' } });
    } finally {
      redis.resume();
    }
  });

  it('answers 200 uncached while Redis is stopped, and caches again after it restarts, without an app restart', async () => {
    await untilCacheUp(t);
    await redis.stop();
    const errorsBefore = await errorsCounted(t);
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await counter('stopped'));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(responses.map((r) => r.headers['x-cache'])).toEqual(['MISS', 'MISS', 'MISS', 'MISS']);
    expect(await errorsCounted(t)).toBeGreaterThan(errorsBefore);
    expect((await t.app.get(AppCache).readiness()).status).toBe('down');

    await redis.restart();
    await untilCacheUp(t);
    await new Promise((resolve) => setTimeout(resolve, 1200)); // past the half-open delay: the next call is the probe
    expect((await counter('restarted')).headers['x-cache']).toBe('MISS');
    const hit = await counter('restarted');
    expect(hit.statusCode).toBe(200);
    expect(hit.headers['x-cache']).toBe('HIT');
  });
});
