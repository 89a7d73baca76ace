import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../../src/core/redis/redis.tokens';
import { CacheTestModule } from '../support/cache/cache-test.module';
import { find, parseSamples } from '../support/prometheus-text';
import { OwnRedisServer, waitFor } from '../support/redis-server';
import { bootTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const runId = `stall-${process.pid}-${randomUUID().slice(0, 8)}`;

/** Blocks the event loop for `ms` milliseconds (a long synchronous task, a GC pause). */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}

/** Commands sent on the client and not answered yet (ioredis's queue of in-flight commands). */
const inFlight = (client: Redis) => (client as unknown as { commandQueue: { length: number } }).commandQueue.length;

/** Yields one event-loop turn at a time until `condition` holds (bounded). */
async function untilNextTurn(condition: () => boolean, turns = 100_000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('the condition never held');
}

/**
 * A Redis reply that arrives while the event loop is blocked is read after
 * the stall; it must not become a timeout (docs/health-checks.md). A
 * fail-closed rate limiter and the cache, both with a 50 ms bound, against a
 * healthy own redis-server: the stall is 300 ms and starts while commands
 * are in flight, so their timers have expired when the loop turns again.
 */
describe('dependency timeouts after an event-loop stall (integration)', () => {
  let redis: OwnRedisServer;
  let t: TestApp;
  let client: Redis;
  const counter = (round: string) => t.app.inject({ method: 'GET', url: `/cache-test/counter?case=${round}` });
  const total = async (name: string) =>
    find(parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body), name).reduce((sum, s) => sum + s.value, 0);

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    t = await bootTestApp(
      {
        DATABASE_URL: 'sqlite::memory:',
        REDIS_URL: redis.url,
        CACHE_KEY_PREFIX: `${runId}:cache:`,
        RATE_LIMIT_REDIS_KEY_PREFIX: `${runId}:rate-limit:`,
        RATE_LIMIT_FAIL_MODE: 'closed',
        RATE_LIMIT_REDIS_TIMEOUT_SECONDS: '0.05',
        CACHE_OPERATION_TIMEOUT_SECONDS: '0.05',
      },
      { after: [CacheTestModule] },
    );
    client = t.app.get<Redis>(REDIS_CLIENT);
    await waitFor('the app’s Redis client', () => client.status === 'ready');
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('answers 200 with Redis healthy: no 503 from the fail-closed limiter, no cache or storage error counted', async () => {
    expect((await counter('warm-up')).statusCode).toBe(200);
    const storageErrors = await total('rate_limit_storage_errors_total');
    const cacheErrors = await total('cache_errors_total');
    for (let round = 0; round < 3; round++) {
      const pending = Promise.all(Array.from({ length: 5 }, (_, i) => counter(`stall-${round}-${i}`)));
      // Block the loop while the commands are on the wire: Redis answers during the stall.
      await untilNextTurn(() => inFlight(client) > 0);
      stall(300);
      const responses = await pending;
      expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 200, 200]);
    }
    expect(await total('rate_limit_storage_errors_total')).toBe(storageErrors);
    expect(await total('cache_errors_total')).toBe(cacheErrors);
  });
});
