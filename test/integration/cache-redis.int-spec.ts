import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { AppCache } from '../../src/core';
import { CacheTestModule } from '../support/cache/cache-test.module';
import { bootTestApp, type TestApp } from '../support/test-app';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Unique per run: other suites use the shared Redis at the same time. */
const runId = `cache-it-${process.pid}-${randomUUID().slice(0, 8)}`;

/** The cache needs no database here; in-memory SQLite keeps this suite independent of PostgreSQL. */
function cacheEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: 'sqlite::memory:', REDIS_URL: redisUrl, CACHE_KEY_PREFIX: `${runId}:cache:`, ...overrides };
}

/**
 * Waits (bounded) until the app's shared Redis client is connected and the
 * cache answers. The client connects in the background after boot; until
 * then cache calls fail fast and requests go uncached, by design.
 */
async function untilCacheUp(app: TestApp): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await app.app.get(AppCache).readiness()).status === 'up') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the cache did not come up');
}

describe('cache on the shared Redis (integration)', () => {
  let a: TestApp;
  let b: TestApp;
  let raw: Redis;

  beforeAll(async () => {
    a = await bootTestApp(cacheEnv(), { after: [CacheTestModule] });
    b = await bootTestApp(cacheEnv(), { after: [CacheTestModule] });
    raw = new Redis(redisUrl);
    await untilCacheUp(a);
    await untilCacheUp(b);
  });
  afterAll(async () => {
    const keys = await raw.keys(`${runId}*`);
    if (keys.length > 0) await raw.unlink(...keys);
    await raw.quit();
    await a?.close();
    await b?.close();
  });

  it('is shared by two app instances, and an invalidation through one is seen by the other', async () => {
    const first = await a.app.inject({ method: 'GET', url: '/cache-test/counter?case=shared' });
    expect(first.headers['x-cache']).toBe('MISS');
    const fromB = await b.app.inject({ method: 'GET', url: '/cache-test/counter?case=shared' });
    expect(fromB.headers['x-cache']).toBe('HIT');
    expect(fromB.body).toBe(first.body);

    await a.app.get(AppCache).set('items:shared', { id: 'shared', at: new Date('2026-02-03T04:05:06.007Z') });
    expect(await b.app.get(AppCache).get('items:shared')).toEqual({ id: 'shared', at: new Date('2026-02-03T04:05:06.007Z') });

    expect(await a.app.get(AppCache).del('items:shared')).toBe(true);
    expect(await a.app.get(AppCache).invalidatePrefix('http:/cache-test/counter|')).toBe(true);
    expect(await b.app.get(AppCache).get('items:shared')).toBeUndefined();
    expect((await b.app.inject({ method: 'GET', url: '/cache-test/counter?case=shared' })).headers['x-cache']).toBe('MISS');
  });

  it('writes under CACHE_KEY_PREFIX with a TTL in Redis', async () => {
    await a.app.get(AppCache).set('ttl:probe', 'x', 30);
    const ttlMs = await raw.pttl(`${runId}:cache:ttl:probe`);
    expect(ttlMs).toBeGreaterThan(0);
    expect(ttlMs).toBeLessThanOrEqual(30_000);
  });

  it('runs the loader once per process for concurrent misses (single-flight), and the other instance then hits', async () => {
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loader = async () => {
      loads += 1;
      await gate;
      return { value: 'loaded once' };
    };
    const cacheA = a.app.get(AppCache);
    const callers = Array.from({ length: 25 }, () => cacheA.wrap('flight:1', 60, loader));
    release();
    const results = await Promise.all(callers);
    expect(results.every((r) => r.value === 'loaded once')).toBe(true);
    expect(loads).toBe(1);

    expect(await b.app.get(AppCache).wrap('flight:1', 60, loader)).toEqual({ value: 'loaded once' });
    expect(loads).toBe(1);
  });

  it("invalidates by prefix with SCAN + UNLINK inside its own prefix, leaving other prefixes' and rate-limit keys", async () => {
    const cache = a.app.get(AppCache);
    for (let i = 0; i < 1200; i++) await raw.set(`${runId}:cache:bulk:${i}`, '"x"');
    await Promise.all([cache.set('keep:1', 1), cache.set('a*b:1', 1), cache.set('axb:1', 1)]);
    const foreignCacheKey = `${runId}:other-service:cache:bulk:1`;
    const rateLimitKey = `${runId}:ratelimit:{client}:hits`;
    await raw.set(foreignCacheKey, 'foreign');
    await raw.set(rateLimitKey, '7');

    expect(await cache.invalidatePrefix('bulk:')).toBe(true);
    expect(await raw.keys(`${runId}:cache:bulk:*`)).toEqual([]);
    expect(await cache.get('keep:1')).toBe(1);
    expect(await raw.get(foreignCacheKey)).toBe('foreign');
    expect(await raw.get(rateLimitKey)).toBe('7');

    // Glob characters in a prefix match literally.
    expect(await cache.invalidatePrefix('a*')).toBe(true);
    expect(await cache.get('a*b:1')).toBeUndefined();
    expect(await cache.get('axb:1')).toBe(1);
  });

  it('reports readiness up', async () => {
    expect(await a.app.get(AppCache).readiness()).toEqual({ status: 'up', critical: false, detail: { store: 'redis', circuit: 'closed' } });
  });
});
