import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { testRedisUrl, waitFor } from '../support/redis-server';
import { openStream, type OpenStream } from '../support/streaming-client';
import { StreamingTestModule } from '../support/streaming-test.module';
import { TcpProxy } from '../support/tcp-proxy';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * SSE_MAX_STREAMS_PER_PRINCIPAL across two replicas sharing Redis: the
 * caller's streams on both count against one limit, a closed stream frees its
 * place on every replica, and with Redis gone each replica counts its own.
 */
describe('streams per caller across two replicas sharing Redis (integration)', () => {
  const service = `stream-limit-${process.pid}-${randomUUID().slice(0, 8)}`;
  const redisUrl = new URL(testRedisUrl());
  const proxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  let a: TestApp;
  let b: TestApp;
  const ports = new Map<TestApp, number>();
  const streams: OpenStream[] = [];
  // A stream route whose source needs no Redis (the items' events need the hub, which refuses while Redis is down).
  const open = async (t: TestApp, sub: string) => {
    const stream = await openStream(ports.get(t)!, `/test/streaming/idle?tag=${randomUUID()}`, t.authHeader({ sub }));
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    await proxy.start();
    const viaProxy = Object.assign(new URL(redisUrl.href), { hostname: '127.0.0.1', port: String(proxy.port) }).href;
    const env = {
      DATABASE_URL: 'sqlite::memory:',
      REDIS_URL: viaProxy,
      SERVICE_NAME: service,
      SSE_MAX_STREAMS_PER_PRINCIPAL: '2',
      SSE_HEARTBEAT_SECONDS: '0.2',
      SSE_HUB_REDIS_TIMEOUT_SECONDS: '0.3',
      CIRCUIT_BREAKER_ENABLED: 'false',
    };
    a = await bootTestApp(env, { after: [StreamingTestModule] });
    b = await bootTestApp(env, { after: [StreamingTestModule] });
    for (const t of [a, b]) {
      await t.app.listen(0, '127.0.0.1');
      ports.set(t, (t.app.getHttpServer().address() as AddressInfo).port);
    }
  });
  afterEach(() => streams.splice(0).forEach((stream) => stream.close()));
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await proxy.stop();
    const redis = new Redis(testRedisUrl());
    const keys = await redis.keys(`${service}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("counts a caller's streams on both replicas against one limit, and frees a closed stream's place everywhere", async () => {
    const sub = `limit-${randomUUID()}`;
    expect((await open(a, sub)).statusCode).toBe(200);
    expect((await open(b, sub)).statusCode).toBe(200);
    for (const t of [a, b]) {
      const refused = await open(t, sub);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // Another caller is not affected.
    expect((await open(a, `other-${randomUUID()}`)).statusCode).toBe(200);

    streams[1]!.close();
    // The place is given back once the replica sees the connection close.
    await waitFor('a place free again', async () => {
      const retried = await open(a, sub);
      return retried.statusCode === 200;
    });
  });

  it('keeps a lease alive past its life while the stream stays open (renewed every heartbeat)', async () => {
    const sub = `renew-${randomUUID()}`;
    expect((await open(a, sub)).statusCode).toBe(200);
    expect((await open(b, sub)).statusCode).toBe(200);
    // A lease lives three heartbeats (0.6 s): well past it, both places are still held.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await open(b, sub)).statusCode).toBe(429);
  });

  it('counts per replica while Redis is unreachable (one warning), and across replicas once it is back', async () => {
    const sub = `outage-${randomUUID()}`;
    await proxy.cut();
    try {
      expect((await open(a, sub)).statusCode).toBe(200);
      expect((await open(a, sub)).statusCode).toBe(200);
      expect((await open(a, sub)).statusCode).toBe(429);
      expect((await open(b, sub)).statusCode).toBe(200);
      const warnings = a.logs.withMessage('Streams per caller counted in this process only: Redis failed (logged once until it answers)');
      expect(warnings).toHaveLength(1);
    } finally {
      await proxy.restore();
    }
    streams.splice(0).forEach((stream) => stream.close());
    // A probe stream per attempt (closed at once) until replica a counts in Redis again.
    await waitFor('the shared count back', async () => {
      (await open(a, `probe-${randomUUID()}`)).close();
      return a.logs.withMessage('Streams per caller counted across replicas again').length > 0;
    });
    const again = `again-${randomUUID()}`;
    expect((await open(a, again)).statusCode).toBe(200);
    expect((await open(b, again)).statusCode).toBe(200);
    expect((await open(b, again)).statusCode).toBe(429);
  });
});
