import Redis from 'ioredis';
import { PROBLEM_TYPES } from '../../src/core/errors/problem-details';
import { REDIS_CLIENT } from '../../src/core/redis/redis.tokens';
import { IdempotencyProbe, IdempotencyTestModule } from '../support/idempotency/idempotency-test.module';
import { expectProblem } from '../support/pipeline-assertions';
import { OwnRedisServer, testRedisUrl, waitFor } from '../support/redis-server';
import { bootTestApp, type TestApp } from '../support/test-app';

const ready = (t: TestApp) => waitFor('the app’s Redis client', () => t.app.get<Redis>(REDIS_CLIENT).status === 'ready');
let n = 0;
const uniqueKey = () => `redis-key-${process.pid}-${Date.now()}-${++n}`;
const post = (t: TestApp, url: string, key: string, sub = 'idem-redis') =>
  t.app.inject({ method: 'POST', url, payload: {}, headers: { ...t.authHeader({ sub }), 'idempotency-key': key } });

// The fail-mode apps boot first: nestjs-pino writes every app's logs to the first app's capture.
describe('idempotency keys with Redis stopped mid-test (own redis-server)', () => {
  let server: OwnRedisServer;
  let open: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    server = await OwnRedisServer.start();
    const env = { REDIS_URL: server.url, IDEMPOTENCY_REDIS_TIMEOUT_SECONDS: '0.2' };
    closed = await bootTestApp({ ...env, IDEMPOTENCY_FAIL_MODE: 'closed' }, { after: [IdempotencyTestModule] });
    open = await bootTestApp({ ...env, IDEMPOTENCY_FAIL_MODE: 'open' }, { after: [IdempotencyTestModule] });
    await Promise.all([ready(closed), ready(open)]);
  });
  afterAll(async () => {
    await Promise.all([open?.close(), closed?.close()]);
    await server?.stop();
  });

  it('fail closed: 503 problem with Retry-After while Redis is down, handler not run; served again once Redis is back', async () => {
    const key = uniqueKey();
    const probe = closed.app.get(IdempotencyProbe);
    await server.stop();
    const callsBefore = probe.calls;
    const down = await post(closed, '/idempotency-test/required', key);
    expect(expectProblem(down, 503).type).toBe(PROBLEM_TYPES.idempotencyUnavailable);
    expect(down.headers['retry-after']).toBe('1');
    expect(probe.calls).toBe(callsBefore);

    const downOpen = await post(open, '/idempotency-test/required', key);
    expect(downOpen.statusCode).toBe(201); // fail open: served without the guarantee

    await server.restart();
    await Promise.all([ready(closed), ready(open)]);
    const back = await post(closed, '/idempotency-test/required', key);
    expect(back.statusCode).toBe(201);
    const replay = await post(closed, '/idempotency-test/required', key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(back.body);
  });
});

describe('idempotency keys shared by two app instances through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  const prefix = `test:idempotency:${process.pid}-${Date.now()}:`;
  beforeAll(async () => {
    const env = { REDIS_URL: testRedisUrl(), IDEMPOTENCY_KEY_PREFIX: prefix };
    a = await bootTestApp(env, { after: [IdempotencyTestModule] });
    b = await bootTestApp(env, { after: [IdempotencyTestModule] });
    await Promise.all([ready(a), ready(b)]);
  });
  afterAll(async () => {
    const client = a?.app.get<Redis>(REDIS_CLIENT);
    const keys = client ? await client.keys(`${prefix}*`) : [];
    if (keys.length > 0) await client.del(...keys);
    await Promise.all([a?.close(), b?.close()]);
  });

  const totalCalls = () => a.app.get(IdempotencyProbe).calls + b.app.get(IdempotencyProbe).calls;

  it('replays on one instance the response the other produced, byte for byte', async () => {
    const key = uniqueKey();
    const first = await post(a, '/idempotency-test/required', key);
    expect(first.statusCode).toBe(201);
    const retry = await post(b, '/idempotency-test/required', key);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
  });

  it('runs the handler once under 20 concurrent requests with one key spread over both instances', async () => {
    const key = uniqueKey();
    const before = totalCalls();
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 === 0 ? a : b, '/idempotency-test/required', key)));
    expect(totalCalls()).toBe(before + 1);
    expect(responses.map((r) => r.statusCode).filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const bodies = new Set(responses.filter((r) => r.statusCode === 201).map((r) => r.body));
    expect(bodies.size).toBe(1);
  });

  it('answers 422 on either instance when the key is reused for another request', async () => {
    const key = uniqueKey();
    expect((await post(a, '/idempotency-test/required', key)).statusCode).toBe(201);
    const other = await b.app.inject({
      method: 'POST',
      url: '/idempotency-test/required',
      payload: { different: true },
      headers: { ...b.authHeader({ sub: 'idem-redis' }), 'idempotency-key': key },
    });
    expect(expectProblem(other, 422).type).toBe(PROBLEM_TYPES.idempotencyKeyReused);
  });

  it('expires a record after IDEMPOTENCY_TTL_SECONDS (the Redis key carries the TTL)', async () => {
    const key = uniqueKey();
    await post(a, '/idempotency-test/required', key);
    const client = a.app.get<Redis>(REDIS_CLIENT);
    const [stored] = await client.keys(`${prefix}*`).then(async (keys) => {
      const withTtl = await Promise.all(keys.map(async (k) => ({ k, ttl: await client.pttl(k) })));
      return withTtl.sort((x, y) => y.ttl - x.ttl);
    });
    // 24 h by default, in milliseconds; a claim in flight would carry the short lease instead.
    expect(stored!.ttl).toBeGreaterThan(23 * 3600 * 1000);
    expect(stored!.ttl).toBeLessThanOrEqual(24 * 3600 * 1000);
  });
});
