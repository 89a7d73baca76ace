import type { Registry } from 'prom-client';
import { AppCache } from '../../src/core';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { itemCacheKey } from '../../src/features/items/items.service';
import { CacheTestModule, HandlerCalls } from '../support/cache/cache-test.module';
import { bootTestApp, type TestApp } from '../support/test-app';

async function counterValue(registry: Registry, name: string): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).reduce((sum, value) => sum + value.value, 0);
}

describe('caching with the memory store (e2e)', () => {
  let t: TestApp;
  let calls: HandlerCalls;
  /** GET; `x-test-subject` becomes a real bearer token for that subject. */
  const get = (url: string, headers: Record<string, string> = {}) => {
    const { 'x-test-subject': subject, ...rest } = headers;
    return t.app.inject({ method: 'GET', url, headers: { ...rest, ...(subject ? t.authHeader({ sub: subject }) : {}) } });
  };

  beforeAll(async () => {
    t = await bootTestApp({}, { after: [CacheTestModule] });
    calls = t.app.get(HandlerCalls);
  });
  afterAll(async () => t.close());

  describe('@CacheResponse()', () => {
    it('answers a repeated GET from the cache, with X-Cache and Age, and the same body', async () => {
      const first = await get('/cache-test/counter?case=repeat');
      expect(first.statusCode).toBe(200);
      expect(first.headers['x-cache']).toBe('MISS');
      expect(first.headers.age).toBeUndefined();

      const second = await get('/cache-test/counter?case=repeat');
      expect(second.statusCode).toBe(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(Number(second.headers.age)).toBeGreaterThanOrEqual(0);
      expect(second.headers['content-type']).toBe(first.headers['content-type']);
      expect(second.body).toBe(first.body);
      expect(second.json()).toEqual({ call: first.json().call, query: { case: 'repeat' }, at: '2026-01-02T03:04:05.678Z' });
    });

    it('normalizes the query: parameter order does not matter, values do', async () => {
      const first = (await get('/cache-test/counter?case=order&a=1&b=2')).json();
      const reordered = await get('/cache-test/counter?b=2&case=order&a=1');
      expect(reordered.headers['x-cache']).toBe('HIT');
      expect(reordered.json().call).toBe(first.call);

      const otherValue = await get('/cache-test/counter?case=order&a=1&b=3');
      expect(otherValue.headers['x-cache']).toBe('MISS');
      expect(otherValue.json().call).not.toBe(first.call);
    });

    it('answers HEAD from the entry a GET stored', async () => {
      await get('/cache-test/counter?case=head');
      const head = await t.app.inject({ method: 'HEAD', url: '/cache-test/counter?case=head' });
      expect(head.statusCode).toBe(200);
      expect(head.headers['x-cache']).toBe('HIT');
      expect(head.body).toBe('');
    });

    it('honours Cache-Control: no-cache from the client, then serves the fresh answer', async () => {
      const stored = (await get('/cache-test/counter?case=nocache')).json();
      const fresh = await get('/cache-test/counter?case=nocache', { 'cache-control': 'max-age=0, no-cache' });
      expect(fresh.headers['x-cache']).toBe('MISS');
      expect(fresh.json().call).toBeGreaterThan(stored.call);
      const after = await get('/cache-test/counter?case=nocache');
      expect(after.headers['x-cache']).toBe('HIT');
      expect(after.json().call).toBe(fresh.json().call);
    });

    it('never caches other methods, non-200 answers or errors', async () => {
      const post = async () => (await t.app.inject({ method: 'POST', url: '/cache-test/counter' })).json().call as number;
      expect(await post()).not.toBe(await post());

      const accepted1 = await get('/cache-test/accepted');
      const accepted2 = await get('/cache-test/accepted');
      expect(accepted1.statusCode).toBe(202);
      expect(accepted2.headers['x-cache']).toBe('MISS');
      expect(accepted2.json().call).toBe(accepted1.json().call + 1);

      const before = calls.count;
      const missing1 = await get('/cache-test/missing');
      const missing2 = await get('/cache-test/missing');
      expect(missing1.statusCode).toBe(404);
      expect(missing2.statusCode).toBe(404);
      expect(missing2.headers['content-type']).toContain('application/problem+json');
      expect(calls.count).toBe(before + 2);
    });

    it("never serves one principal's response to another (per-principal keys)", async () => {
      const alice = await get('/cache-test/me', { 'x-test-subject': 'alice' });
      const bob = await get('/cache-test/me', { 'x-test-subject': 'bob' });
      const anonymous = await get('/cache-test/anonymous-me');
      expect([alice, bob, anonymous].map((r) => r.headers['x-cache'])).toEqual(['MISS', 'MISS', 'MISS']);
      expect(new Set([alice.json().call, bob.json().call, anonymous.json().call]).size).toBe(3);

      const aliceAgain = await get('/cache-test/me', { 'x-test-subject': 'alice' });
      const bobAgain = await get('/cache-test/me', { 'x-test-subject': 'bob' });
      const anonymousAgain = await get('/cache-test/anonymous-me');
      expect(aliceAgain.headers['x-cache']).toBe('HIT');
      expect(aliceAgain.json()).toEqual(alice.json());
      expect(bobAgain.headers['x-cache']).toBe('HIT');
      expect(bobAgain.json()).toEqual(bob.json());
      expect(anonymousAgain.json()).toEqual(anonymous.json());
    });

    it('is dropped by prefix invalidation of its route', async () => {
      await get('/cache-test/counter?case=invalidate');
      expect((await get('/cache-test/counter?case=invalidate')).headers['x-cache']).toBe('HIT');
      expect(await t.app.get(AppCache).invalidatePrefix('http:/cache-test/counter|')).toBe(true);
      expect((await get('/cache-test/counter?case=invalidate')).headers['x-cache']).toBe('MISS');
    });
  });

  describe('items (cache-aside through AppCache)', () => {
    // Items belong to their creator: everything here is done as alice.
    const alice = () => t.authHeader({ sub: 'alice', scope: 'items:read items:write' });
    const create = async (sku: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/items',
          headers: alice(),
          payload: { sku, name: 'Kettle', priceCents: 100, currency: 'EUR' },
        })
      ).json();
    const getItem = (id: string) => t.app.inject({ method: 'GET', url: `/items/${id}`, headers: alice() });

    it('caches GET /items/:id, counting a miss then a hit, with identical bodies', async () => {
      const registry = t.app.get<Registry>(METRICS_REGISTRY);
      const item = await create('cache-1');
      const hits = await counterValue(registry, 'cache_hits_total');
      const misses = await counterValue(registry, 'cache_misses_total');

      const first = await getItem(item.id);
      const second = await getItem(item.id);
      expect(first.statusCode).toBe(200);
      expect(second.body).toBe(first.body);
      expect(second.json()).toEqual(item);
      expect(await counterValue(registry, 'cache_misses_total')).toBe(misses + 1);
      expect(await counterValue(registry, 'cache_hits_total')).toBe(hits + 1);

      const cached = await t.app.get(AppCache).get<{ createdAt: unknown }>(itemCacheKey('alice', item.id));
      expect(cached?.createdAt).toBeInstanceOf(Date);
    });

    it('invalidates on update and on delete', async () => {
      const cache = t.app.get(AppCache);
      const item = await create('cache-2');
      await getItem(item.id);
      expect(await cache.get(itemCacheKey('alice', item.id))).toBeDefined();

      const patched = await t.app.inject({
        method: 'PATCH',
        url: `/items/${item.id}`,
        headers: alice(),
        payload: { name: 'Steel kettle' },
      });
      expect(patched.statusCode).toBe(200);
      expect(await cache.get(itemCacheKey('alice', item.id))).toBeUndefined();
      expect((await getItem(item.id)).json().name).toBe('Steel kettle');

      expect((await t.app.inject({ method: 'DELETE', url: `/items/${item.id}`, headers: alice() })).statusCode).toBe(204);
      expect(await cache.get(itemCacheKey('alice', item.id))).toBeUndefined();
      expect((await getItem(item.id)).statusCode).toBe(404);
    });

    it('does not cache a missing item', async () => {
      const id = '00000000-0000-4000-8000-0000000000aa';
      expect((await getItem(id)).statusCode).toBe(404);
      expect(await t.app.get(AppCache).get(itemCacheKey('alice', id))).toBeUndefined();
    });
  });

  it('reports the memory store as up for readiness', async () => {
    await expect(t.app.get(AppCache).readiness()).resolves.toEqual({ status: 'up', critical: false, detail: { store: 'memory' } });
  });
});

describe('caching with CACHE_RESPECT_NO_CACHE=false (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ CACHE_RESPECT_NO_CACHE: 'false' }, { after: [CacheTestModule] });
  });
  afterAll(async () => t.close());

  it('serves the cached answer despite Cache-Control: no-cache', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/cache-test/counter?case=ignored' });
    const second = await t.app.inject({ method: 'GET', url: '/cache-test/counter?case=ignored', headers: { 'cache-control': 'no-cache' } });
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.json().call).toBe(first.json().call);
  });
});
