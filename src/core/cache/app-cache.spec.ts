import { EventEmitter } from 'node:events';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { Registry } from 'prom-client';
import type { AppConfig, CacheConfig } from '../config/app-config';
import { DependencyBreakers } from '../circuit-breaker/dependency-breakers';
import { AppCache } from './app-cache';
import type { CacheBackend } from './cache.backend';
import { createMemoryBackend } from './memory-cache.backend';

const cacheConfig = (overrides: Partial<CacheConfig> = {}): CacheConfig => ({
  ttlSeconds: 60,
  maxItems: 100,
  keyPrefix: 'svc:test:cache:',
  operationTimeoutSeconds: 0.05,
  critical: false,
  respectNoCache: true,
  ...overrides,
});

function makeCache(backend: CacheBackend, config: CacheConfig = cacheConfig()) {
  const registry = new Registry();
  const appConfig = { cache: config, circuitBreaker: { enabled: true, failures: 5, halfOpenAfterSeconds: 5 } } as AppConfig;
  const cache = new AppCache(backend, appConfig, registry, new DependencyBreakers(appConfig, registry));
  const count = async (name: string, labels: Record<string, string> = {}) => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
  };
  return { cache, count };
}

/** A deferred promise, so a test decides when a loader finishes. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A store whose every call fails the given way: never answers, or rejects. */
class BrokenStore extends EventEmitter implements KeyvStoreAdapter {
  opts = {};
  constructor(private readonly mode: 'hang' | 'reject') {
    super();
  }
  private fail<T>(): Promise<T> {
    return this.mode === 'hang' ? new Promise<T>(() => undefined) : Promise.reject(new Error('ECONNREFUSED'));
  }
  get = <T>(): Promise<T> => this.fail<T>();
  set = (): Promise<boolean> => this.fail<boolean>();
  delete = (): Promise<boolean> => this.fail<boolean>();
  clear = (): Promise<void> => this.fail<void>();
}

function brokenBackend(mode: 'hang' | 'reject'): CacheBackend {
  const store = new BrokenStore(mode);
  return {
    kind: 'redis',
    keyv: new Keyv({ store, throwOnErrors: true, useKeyPrefix: false, namespace: undefined }),
    deleteByPrefix: (_prefix, perCall) => perCall(() => store.clear()).then(() => 0),
    ping: () => store.clear(),
  };
}

describe('AppCache over the memory store', () => {
  afterEach(() => jest.restoreAllMocks());

  it('gets, sets and deletes typed values, counting hits and misses', async () => {
    const { cache, count } = makeCache(createMemoryBackend(cacheConfig()));
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.set('k', { n: 1, at: new Date('2026-01-01T00:00:00Z') })).toBe(true);
    const value = await cache.get<{ n: number; at: Date }>('k');
    expect(value).toEqual({ n: 1, at: new Date('2026-01-01T00:00:00Z') });
    expect(value?.at).toBeInstanceOf(Date);
    expect(await cache.del('k')).toBe(true);
    expect(await cache.get('k')).toBeUndefined();
    expect(await count('cache_hits_total')).toBe(1);
    expect(await count('cache_misses_total')).toBe(2);
  });

  it('hands out copies: changing a returned value does not change the cache', async () => {
    const { cache } = makeCache(createMemoryBackend(cacheConfig()));
    const original = { list: [1] };
    await cache.set('k', original);
    original.list.push(2);
    const read = await cache.get<{ list: number[] }>('k');
    read?.list.push(3);
    expect(await cache.get('k')).toEqual({ list: [1] });
  });

  it('expires entries after their TTL in seconds (default CACHE_TTL_SECONDS)', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const { cache } = makeCache(createMemoryBackend(cacheConfig({ ttlSeconds: 60 })));
    await cache.set('short', 'x', 5);
    await cache.set('default', 'y');
    now.mockReturnValue(1_000_000 + 5_001);
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('default')).toBe('y');
    now.mockReturnValue(1_000_000 + 60_001);
    expect(await cache.get('default')).toBeUndefined();
  });

  it('keeps at most CACHE_MAX_ITEMS entries, evicting the least recently used', async () => {
    const { cache } = makeCache(createMemoryBackend(cacheConfig({ maxItems: 2 })));
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.get('a'); // a is now more recently used than b
    await cache.set('c', 3);
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('c')).toBe(3);
  });

  it('invalidates by prefix and leaves other keys', async () => {
    const { cache } = makeCache(createMemoryBackend(cacheConfig()));
    await Promise.all([cache.set('items:1', 1), cache.set('items:2', 2), cache.set('itemsX', 3), cache.set('users:1', 4)]);
    expect(await cache.invalidatePrefix('items:')).toBe(true);
    expect(await cache.get('items:1')).toBeUndefined();
    expect(await cache.get('items:2')).toBeUndefined();
    expect(await cache.get('itemsX')).toBe(3);
    expect(await cache.get('users:1')).toBe(4);
  });

  it('wrap runs the loader once for concurrent misses on one key (single-flight), then serves the cache', async () => {
    const { cache } = makeCache(createMemoryBackend(cacheConfig()));
    const load = deferred<{ id: string }>();
    const loader = jest.fn(() => load.promise);
    const callers = Array.from({ length: 10 }, () => cache.wrap('item:1', 30, loader));
    await new Promise((resolve) => setImmediate(resolve));
    load.resolve({ id: '1' });
    expect(await Promise.all(callers)).toEqual(Array.from({ length: 10 }, () => ({ id: '1' })));
    expect(loader).toHaveBeenCalledTimes(1);

    expect(await cache.wrap('item:1', 30, loader)).toEqual({ id: '1' });
    expect(loader).toHaveBeenCalledTimes(1);
    const other = jest.fn(async () => 'other');
    expect(await cache.wrap('item:2', 30, other)).toBe('other');
    expect(other).toHaveBeenCalledTimes(1);
  });

  it('wrap propagates a loader error to every waiting caller, caches nothing, and loads again next time', async () => {
    const { cache } = makeCache(createMemoryBackend(cacheConfig()));
    const load = deferred<string>();
    const failing = jest.fn(() => load.promise);
    const callers = [cache.wrap('k', undefined, failing), cache.wrap('k', undefined, failing)];
    load.reject(new Error('not found'));
    for (const caller of callers) await expect(caller).rejects.toThrow('not found');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.wrap('k', undefined, async () => 'ok')).toBe('ok');
  });

  it('does not store undefined', async () => {
    const { cache } = makeCache(createMemoryBackend(cacheConfig()));
    expect(await cache.set('k', undefined)).toBe(false);
    const loader = jest.fn(async () => undefined);
    await cache.wrap('k', undefined, loader);
    await cache.wrap('k', undefined, loader);
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('reports readiness up with its critical setting', async () => {
    const { cache } = makeCache(createMemoryBackend(cacheConfig()), cacheConfig({ critical: true }));
    expect(await cache.readiness()).toEqual({ status: 'up', critical: true, detail: { store: 'memory' } });
  });
});

/** Each hanging call waits out its bound on real timers, which the in-band coverage run stretches past Jest's default 5 s: the budget is test time, not what is asserted. */
const FAILING_STORE_TEST_MS = 30_000;

describe.each(['hang', 'reject'] as const)('AppCache when the store fails (%s)', (mode) => {
  it(
    'never rejects: reads miss, writes report false, wrap falls back to the loader; every failure counted',
    async () => {
      const { cache, count } = makeCache(brokenBackend(mode));
      expect(await cache.get('k')).toBeUndefined();
      expect(await cache.set('k', 1)).toBe(false);
      expect(await cache.del('k')).toBe(false);
      expect(await cache.invalidatePrefix('items:')).toBe(false);
      const loader = jest.fn(async () => 'from the database');
      expect(await cache.wrap('k', 10, loader)).toBe('from the database');
      expect(loader).toHaveBeenCalledTimes(1);

      expect(await count('cache_errors_total', { operation: 'get' })).toBe(2);
      expect(await count('cache_errors_total', { operation: 'set' })).toBe(2);
      expect(await count('cache_errors_total', { operation: 'del' })).toBe(1);
      expect(await count('cache_errors_total', { operation: 'invalidate_prefix' })).toBe(1);
      expect(await count('cache_misses_total')).toBe(2);
      expect(await count('cache_hits_total')).toBe(0);
    },
    FAILING_STORE_TEST_MS,
  );

  it(
    'reports readiness down, with the reason',
    async () => {
      const { cache } = makeCache(brokenBackend(mode));
      const readiness = await cache.readiness();
      expect(readiness).toMatchObject({ status: 'down', critical: false, detail: { store: 'redis' } });
      expect(readiness.detail.error).toMatch(mode === 'hang' ? /timed out after 50 ms/ : /ECONNREFUSED/);
    },
    FAILING_STORE_TEST_MS,
  );
});
