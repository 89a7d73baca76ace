import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import type { CacheBackend } from './cache.backend';
import { type CacheMetrics, createCacheMetrics } from './cache.metrics';
import { CACHE_BACKEND } from './cache.tokens';
import { CacheFailureReporter } from './cache-failure.reporter';
import { withTimeout } from '../async/with-timeout';
import type { CircuitStateName, DependencyBreaker } from '../circuit-breaker/dependency-breaker';
import { DependencyBreakers } from '../circuit-breaker/dependency-breakers';
import { CacheTimeoutError } from './cache-timeout.error';
import { tenantCacheKey } from './tenant-cache-key';

/** What {@link AppCache.readiness} reports, for `/health/ready`. */
export interface CacheReadiness {
  /** `down`: the store did not answer a PING within `CACHE_OPERATION_TIMEOUT_SECONDS`. */
  status: 'up' | 'down';
  /** `CACHE_CRITICAL`: when false, `down` means degraded, not unready. */
  critical: boolean;
  /** `circuit`: the Redis circuit's state (Redis store only). */
  detail: { store: 'memory' | 'redis'; circuit?: CircuitStateName; error?: string };
}

/**
 * The cache features inject: typed get/set/del, cache-aside `wrap` with
 * single-flight, and invalidation by prefix, over the memory store or Redis
 * (docs/caching.md).
 *
 * The cache is an optimisation, never a dependency: every call is bounded by
 * `CACHE_OPERATION_TIMEOUT_SECONDS` and, on Redis, goes through the Redis
 * circuit breaker (an open circuit fails the call at once,
 * docs/health-checks.md#circuit-breakers); a failure or timeout is counted
 * (`cache_errors_total`), logged as a rate-limited warning, and treated as a
 * miss (reads) or a no-op (writes). No method of this class ever rejects
 * because of the store; only a `wrap` loader's own error propagates.
 *
 * Values are serialized as JSON that round-trips `Date`s (see `json-codec.ts`):
 * class instances come back as plain objects.
 *
 * Keys are the caller's (e.g. `items:<id>`); the Redis store adds
 * `CACHE_KEY_PREFIX`. With tenancy on, inside a request with a tenant, every
 * key and prefix is the tenant's (`tenant:<tenant>|<key>`,
 * {@link tenantCacheKey}): one tenant never reads, overwrites, invalidates or
 * shares a `wrap` load with another's, whatever key the feature picks.
 * TTLs are in seconds; omitted means `CACHE_TTL_SECONDS`.
 */
@Injectable()
export class AppCache {
  private readonly timeoutMs: number;
  private readonly metrics: CacheMetrics;
  private readonly failures: CacheFailureReporter;
  /** The Redis circuit; none for the memory store. */
  private readonly breaker: DependencyBreaker | undefined;
  /**
   * In-flight `wrap` loads by key: N concurrent misses share one load (per
   * process). A plain object, not a Map: one set and one delete per load made
   * V8 promote the waiting requests to the old generation under load (see
   * `SlotList`; docs/performance.md, "RSS after load").
   */
  private readonly inFlight: Record<string, Promise<unknown> | undefined> = Object.create(null) as Record<string, Promise<unknown>>;

  constructor(
    @Inject(CACHE_BACKEND) private readonly backend: CacheBackend,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
    breakers: DependencyBreakers,
  ) {
    this.breaker = backend.kind === 'redis' ? breakers.for('redis') : undefined;
    this.timeoutMs = config.cache.operationTimeoutSeconds * 1000;
    this.metrics = createCacheMetrics(registry);
    this.failures = new CacheFailureReporter(this.metrics, new Logger('Cache'));
  }

  /** The entry under `key`, or `undefined` on a miss, an expired entry or a store failure. */
  get<T>(key: string): Promise<T | undefined> {
    return this.read(tenantCacheKey(key));
  }

  private async read<T>(key: string): Promise<T | undefined> {
    let value: T | undefined;
    try {
      value = await this.bounded(() => this.backend.keyv.get<T>(key));
    } catch (error) {
      this.failures.report('get', error);
    }
    (value === undefined ? this.metrics.misses : this.metrics.hits).inc();
    return value;
  }

  /**
   * Stores `value` (JSON-serializable; `undefined` is not stored) for
   * `ttlSeconds` (default `CACHE_TTL_SECONDS`).
   * @returns false when the store failed (the value is then simply not cached).
   */
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<boolean> {
    return this.write(tenantCacheKey(key), value, ttlSeconds);
  }

  private async write<T>(key: string, value: T, ttlSeconds?: number): Promise<boolean> {
    if (value === undefined) return false;
    try {
      await this.bounded(() => this.backend.keyv.set(key, value, this.ttlMs(ttlSeconds)));
      return true;
    } catch (error) {
      this.failures.report('set', error);
      return false;
    }
  }

  /**
   * Deletes one entry.
   * @returns false when the store failed: the stale entry then lives until its TTL ends.
   */
  async del(key: string): Promise<boolean> {
    try {
      const scoped = tenantCacheKey(key);
      await this.bounded(() => this.backend.keyv.delete(scoped));
      return true;
    } catch (error) {
      this.failures.report('del', error);
      return false;
    }
  }

  /**
   * Deletes every entry whose key starts with `prefix` (e.g. `items:`), with
   * SCAN + UNLINK inside `CACHE_KEY_PREFIX` on Redis (never FLUSHDB). Each
   * round trip is bounded by the operation timeout.
   * @returns false when the store failed part-way.
   */
  async invalidatePrefix(prefix: string): Promise<boolean> {
    try {
      await this.backend.deleteByPrefix(tenantCacheKey(prefix), (work) => this.bounded(work));
      return true;
    } catch (error) {
      this.failures.report('invalidate_prefix', error);
      return false;
    }
  }

  /**
   * Cache-aside: the cached value under `key`, or `loader()`'s result, stored
   * for `ttlSeconds`. Concurrent calls for one key while a load is running
   * share that load (single-flight, per process). A loader that throws
   * rejects every waiting caller with its error and caches nothing; a loader
   * that returns `undefined` caches nothing.
   */
  wrap<T>(name: string, ttlSeconds: number | undefined, loader: () => Promise<T>): Promise<T> {
    const key = tenantCacheKey(name);
    const running = this.inFlight[key] as Promise<T> | undefined;
    if (running) return running;
    const load = this.readThrough(key, ttlSeconds, loader).finally(() => delete this.inFlight[key]);
    this.inFlight[key] = load;
    return load;
  }

  /**
   * Whether the store answers a PING within the operation timeout. The memory store is always up.
   * The PING bypasses the circuit breaker, so readiness always probes the real store; the detail names an open circuit.
   */
  async readiness(): Promise<CacheReadiness> {
    const critical = this.config.cache.critical;
    const store = this.backend.kind;
    const circuit = this.breaker?.state;
    try {
      await withTimeout(this.backend.ping(), this.timeoutMs, () => new CacheTimeoutError(this.timeoutMs));
      return { status: 'up', critical, detail: { store, ...(circuit ? { circuit } : {}) } };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'down', critical, detail: { store, ...(circuit ? { circuit } : {}), error: message } };
    }
  }

  private async readThrough<T>(key: string, ttlSeconds: number | undefined, loader: () => Promise<T>): Promise<T> {
    const cached = await this.read<T>(key);
    if (cached !== undefined) return cached;
    const value = await loader();
    await this.write(key, value, ttlSeconds);
    return value;
  }

  /** One store call under the operation timeout, inside the Redis circuit (a timeout counts as a failure). */
  private bounded<T>(work: () => Promise<T>): Promise<T> {
    const call = () => withTimeout(work(), this.timeoutMs, () => new CacheTimeoutError(this.timeoutMs));
    return this.breaker ? this.breaker.execute(call) : call();
  }

  private ttlMs(ttlSeconds: number | undefined): number {
    return (ttlSeconds ?? this.config.cache.ttlSeconds) * 1000;
  }
}
