import type Redis from 'ioredis';
import { REDIS_CLIENT } from '../../src/core/redis/redis.tokens';
import { testRedisUrl, waitFor } from '../support/redis-server';
import { StreamingTestModule } from '../support/streaming-test.module';
import { bootTestReplicas, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

/**
 * Stream tickets on Redis: minted on one replica, good once on any replica,
 * and stored only as a hash with the ticket's lifetime.
 */
describe('stream tickets on Redis (two replicas)', () => {
  let replicas: TestApp[];
  const prefix = `sse-int-${process.pid}`;

  beforeAll(async () => {
    replicas = await bootTestReplicas(2, { REDIS_URL: testRedisUrl(), SERVICE_NAME: prefix }, { after: [StreamingTestModule] });
    await Promise.all(replicas.map((t) => waitFor('Redis', () => t.app.get<Redis>(REDIS_CLIENT).status === 'ready')));
  });
  afterAll(async () => Promise.all((replicas ?? []).map((t) => t.close())));

  it('consumes a ticket minted on one replica once, on another, and keeps only its hash for its lifetime', async () => {
    const [a, b] = replicas;
    const minted = await a.app.inject({
      method: 'POST',
      url: '/streams/tickets',
      headers: a.authHeader({ sub: 'redis-browser' }),
      payload: { path: '/test/streaming/events' },
    });
    expect(minted.statusCode).toBe(201);
    const { ticket } = minted.json<{ ticket: string }>();

    const redis = a.app.get<Redis>(REDIS_CLIENT);
    const keys = await redis.keys(`${prefix}:*stream-ticket:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(ticket);
    expect(await redis.pttl(keys[0])).toBeGreaterThan(25_000);

    const first = await b.app.inject({ method: 'GET', url: `/test/streaming/events?count=1&ticket=${ticket}` });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('event: tick');
    const second = await a.app.inject({ method: 'GET', url: `/test/streaming/events?count=1&ticket=${ticket}` });
    expect(second.statusCode).toBe(401);
    expect(await redis.keys(`${prefix}:*stream-ticket:*`)).toEqual([]);
  });
});
