import type { AddressInfo } from 'node:net';
import { OwnRedisServer, waitFor } from '../support/redis-server';
import { openStream, type OpenStream, type ReceivedEvent } from '../support/streaming-client';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * The Redis event hub when its Redis stops and comes back, on a private
 * redis-server (the shared one is never stopped): the app stays up, open
 * streams end (clients reconnect), writes still succeed, and streams work
 * again once Redis is back.
 */
describe('item change streams when Redis stops and comes back (integration)', () => {
  let redis: OwnRedisServer;
  let t: TestApp;
  let port: number;
  const streams: OpenStream[] = [];
  const auth = (sub: string) => t.authHeader({ sub, scope: 'items:read items:write' });
  const isChange = (event: ReceivedEvent) => event.id !== undefined;
  const open = async (sub: string, lastEventId?: string) => {
    const stream = await openStream(port, '/items/events', { ...auth(sub), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) });
    streams.push(stream);
    return stream;
  };
  const create = (sub: string, sku: string) =>
    t.app.inject({ method: 'POST', url: '/items', headers: auth(sub), payload: { sku, name: 'Kettle', priceCents: 100, currency: 'EUR' } });

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    t = await bootTestApp({
      DATABASE_URL: 'sqlite::memory:',
      REDIS_URL: redis.url,
      SSE_HEARTBEAT_SECONDS: '0.2',
      SSE_HUB_REDIS_TIMEOUT_SECONDS: '0.5',
      CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: '0.5',
    });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await t?.close();
    await redis?.stop();
  });

  it('ends open streams when Redis stops, keeps serving, and streams again once Redis is back', async () => {
    const stream = await open('outage-owner');
    await stream.until((event) => event.comment === 'keep-alive');
    await create('outage-owner', 'OUT-1');
    const before = await stream.until(isChange);

    await redis.stop();
    // The hub ends its subscriptions: the server ends the response, and the client reconnects.
    await stream.ended;
    // The process is up and item writes still succeed without the hub (the publish failure is logged and counted).
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect((await create('outage-owner', 'OUT-2')).statusCode).toBe(201);
    expect(t.logs.lines.some((line) => line.msg === 'Event hub publish failed: the event was not delivered')).toBe(true);

    await redis.restart();
    let resumed: OpenStream | undefined;
    await waitFor(
      'a stream that stays open after Redis is back',
      async () => {
        const attempt = await open('outage-owner', before.id);
        if (attempt.statusCode !== 200) return false;
        await attempt.until((event) => event.comment === 'keep-alive', 2000).catch(() => undefined);
        if (attempt.received.some((event) => event.comment === 'keep-alive')) resumed = attempt;
        return resumed !== undefined;
      },
      40,
    );
    // The restarted server kept no data: the client is told to reload rather than silently miss OUT-2.
    await resumed!.until((event) => event.event === 'reset');
    await create('outage-owner', 'OUT-3');
    const live = await resumed!.until((event) => event.event === 'created');
    expect(JSON.parse(live.data!)).toMatchObject({ sku: 'OUT-3' });
  });
});
