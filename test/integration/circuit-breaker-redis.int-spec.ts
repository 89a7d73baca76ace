import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../../src/core/redis/redis.tokens';
import { PROBLEM_TYPES } from '../../src/core/errors/problem-details';
import { CacheTestModule } from '../support/cache/cache-test.module';
import { IdempotencyTestModule } from '../support/idempotency/idempotency-test.module';
import { expectProblem } from '../support/pipeline-assertions';
import { find, parseSamples } from '../support/prometheus-text';
import { OwnRedisServer, waitFor } from '../support/redis-server';
import { bootTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

/** The per-call bound of every Redis call in this suite, in seconds. */
const TIMEOUT_SECONDS = 1;
const HALF_OPEN_AFTER_SECONDS = 1;
const runId = `breaker-${process.pid}-${randomUUID().slice(0, 8)}`;

/**
 * The Redis circuit breaker through the real stack: an own redis-server
 * frozen with SIGSTOP (a hung Redis: connections open, no answer). The cache,
 * the rate-limit storage and the idempotency store share one circuit.
 * A file of its own: the log assertions need the only app of the file.
 */
describe('Redis circuit breaker: a hung Redis stops costing every request its timeouts (integration)', () => {
  let redis: OwnRedisServer;
  let t: TestApp;
  const counter = (round: string) => t.app.inject({ method: 'GET', url: `/cache-test/counter?case=${round}` });
  const samples = async () => parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
  const circuitState = async () => find(await samples(), 'dependency_circuit_state', { dependency: 'redis' })[0]?.value;
  const transitions = async (state: string) =>
    find(await samples(), 'dependency_circuit_transitions_total', { dependency: 'redis', state })[0]?.value ?? 0;

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    t = await bootTestApp(
      {
        DATABASE_URL: 'sqlite::memory:',
        REDIS_URL: redis.url,
        CACHE_KEY_PREFIX: `${runId}:cache:`,
        RATE_LIMIT_REDIS_KEY_PREFIX: `${runId}:rate-limit:`,
        CACHE_OPERATION_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
        RATE_LIMIT_REDIS_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
        IDEMPOTENCY_REDIS_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
        CIRCUIT_BREAKER_FAILURES: '3',
        CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: String(HALF_OPEN_AFTER_SECONDS),
      },
      { after: [CacheTestModule, IdempotencyTestModule] },
    );
    await waitFor('the app’s Redis client', () => t.app.get<Redis>(REDIS_CLIENT).status === 'ready');
  });
  afterAll(async () => {
    redis?.resume();
    await t?.close();
    await redis?.stop();
  });

  it('opens after consecutive timeouts: requests then skip Redis at once (200 uncached), one warning per transition; a probe after the half-open delay closes it', async () => {
    expect(await circuitState()).toBe(0);
    expect((await counter('up')).headers['x-cache']).toBe('MISS');
    expect((await counter('up')).headers['x-cache']).toBe('HIT');

    const from = t.logs.lines.length;
    redis.pause();
    try {
      // Each request makes a few Redis calls, each timing out: a few requests open the circuit (bounded).
      for (let i = 0; i < 5 && (await circuitState()) !== 2; i++) expect((await counter('hung')).statusCode).toBe(200);
      expect(await circuitState()).toBe(2);

      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const response = await counter('hung');
        const elapsedMs = performance.now() - started;
        expect(response.statusCode).toBe(200);
        expect(response.headers['x-cache']).toBe('MISS');
        // Far less than one Redis timeout: no call waited for the hung Redis.
        expect(elapsedMs).toBeLessThan((TIMEOUT_SECONDS * 1000) / 2);
      }

      // The idempotency store shares the circuit: its store-unavailable path (IDEMPOTENCY_FAIL_MODE=closed), at once.
      const started = performance.now();
      const refused = await t.app.inject({
        method: 'POST',
        url: '/idempotency-test/required',
        payload: {},
        headers: { ...t.authHeader({ sub: 'breaker' }), 'idempotency-key': `${runId}-key` },
      });
      expect(expectProblem(refused, 503).type).toBe(PROBLEM_TYPES.idempotencyUnavailable);
      expect(performance.now() - started).toBeLessThan((TIMEOUT_SECONDS * 1000) / 2);
    } finally {
      redis.resume();
    }
    expect(await transitions('open')).toBe(1);

    // After the half-open delay, the next call is the probe: Redis answers, the circuit closes, the cache is used again.
    await new Promise((resolve) => setTimeout(resolve, HALF_OPEN_AFTER_SECONDS * 1000 + 200));
    await waitFor(
      'the Redis circuit to close',
      async () => (await counter('probe')).statusCode === 200 && (await circuitState()) === 0,
      40,
    );
    expect(await transitions('half_open')).toBeGreaterThanOrEqual(1);
    expect(await transitions('closed')).toBeGreaterThanOrEqual(1);
    expect((await counter('after')).headers['x-cache']).toBe('MISS');
    expect((await counter('after')).headers['x-cache']).toBe('HIT');

    // One warning per transition (context CircuitBreaker), none per request; no error lines.
    const lines = t.logs.lines.slice(from);
    const breakerLines = lines.filter((line) => line.context === 'CircuitBreaker');
    expect(breakerLines.filter((line) => line.state === 'open')).toHaveLength(1);
    expect(breakerLines[0]).toMatchObject({ level: 'warn', dependency: 'redis', state: 'open' });
    expect(breakerLines.length).toBeLessThanOrEqual(5);
    expect(lines.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
  });
});
