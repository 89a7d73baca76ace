import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { testRedisUrl } from '../support/redis-server';
import { openStream, type OpenStream, type ReceivedEvent } from '../support/streaming-client';
import { bootTestReplicas, type TestApp } from '../support/test-app';
import { testDatabaseUrl } from '../support/test-database';

/**
 * `GET /items/events` on two replicas sharing PostgreSQL and Redis, tenancy
 * on: a change made through one replica reaches the owner's stream on the
 * other, a reconnection to either replays what was missed, and neither
 * another owner nor the same subject in another tenant sees it.
 */
describe('item change streams across two replicas sharing Redis (integration)', () => {
  const prefix = `items-events-${process.pid}-${randomUUID().slice(0, 8)}:`;
  let a: TestApp;
  let b: TestApp;
  const ports = new Map<TestApp, number>();
  const streams: OpenStream[] = [];
  const auth = (t: TestApp, sub: string, tenant: string) => t.authHeader({ sub, tenant, scope: 'items:read items:write' });
  const isChange = (event: ReceivedEvent) => event.id !== undefined;
  const skus = (stream: OpenStream) => stream.received.filter(isChange).map((event) => (JSON.parse(event.data!) as { sku?: string }).sku);

  async function subscribe(t: TestApp, sub: string, tenant: string, lastEventId?: string): Promise<OpenStream> {
    const headers = { ...auth(t, sub, tenant), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) };
    const stream = await openStream(ports.get(t)!, '/items/events', headers);
    streams.push(stream);
    expect(stream.statusCode).toBe(200);
    // By the first keep-alive the subscription follows the topic.
    await stream.until((event) => event.comment === 'keep-alive');
    return stream;
  }
  const create = (t: TestApp, sub: string, tenant: string, sku: string) =>
    t.app.inject({
      method: 'POST',
      url: '/items',
      headers: auth(t, sub, tenant),
      payload: { sku, name: 'Kettle', priceCents: 100, currency: 'EUR' },
    });

  beforeAll(async () => {
    expect(testDatabaseUrl()).toMatch(/^postgres/);
    [a, b] = await bootTestReplicas(2, {
      REDIS_URL: testRedisUrl(),
      SSE_HUB_KEY_PREFIX: prefix,
      SSE_HEARTBEAT_SECONDS: '0.2',
      TENANT_CLAIM: 'tenant',
    });
    for (const t of [a, b]) {
      await t.app.listen(0, '127.0.0.1');
      ports.set(t, (t.app.getHttpServer().address() as AddressInfo).port);
    }
  });
  afterEach(() => streams.splice(0).forEach((stream) => stream.close()));
  afterAll(async () => {
    const redis = new Redis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await Promise.all([a?.close(), b?.close()]);
  });

  it('delivers a change made on one replica to the owner’s stream on the other, in order', async () => {
    const onB = await subscribe(b, 'alice', 't1');
    const created = (await create(a, 'alice', 't1', 'X-1')).json<{ id: string }>();
    await b.app.inject({ method: 'PATCH', url: `/items/${created.id}`, headers: auth(b, 'alice', 't1'), payload: { name: 'Kettle 2' } });
    await a.app.inject({ method: 'DELETE', url: `/items/${created.id}`, headers: auth(a, 'alice', 't1') });
    await onB.until((event) => event.event === 'deleted');
    expect(onB.received.filter(isChange).map((event) => event.event)).toEqual(['created', 'updated', 'deleted']);
  });

  it('replays the changes missed while disconnected on either replica after Last-Event-ID', async () => {
    const first = await subscribe(a, 'bob', 't1');
    await create(b, 'bob', 't1', 'R-1');
    const seen = await first.until(isChange);
    first.close();
    await create(a, 'bob', 't1', 'R-2');
    await create(b, 'bob', 't1', 'R-3');
    for (const t of [a, b]) {
      const again = await subscribe(t, 'bob', 't1', seen.id);
      await again.until(() => again.received.filter(isChange).length === 2);
      expect(skus(again)).toEqual(['R-2', 'R-3']);
    }
  });

  it('never shows a change to another owner, nor to the same subject in another tenant', async () => {
    const owner = await subscribe(a, 'carol', 't1');
    const otherOwner = await subscribe(b, 'dave', 't1');
    const otherTenant = await subscribe(b, 'carol', 't2');
    await create(a, 'carol', 't1', 'T1-1');
    await create(b, 'carol', 't2', 'T2-1');
    await owner.until(isChange);
    await otherTenant.until(isChange);
    // Both later changes have arrived where they belong: anything leaked would have arrived by now too.
    expect(skus(owner)).toEqual(['T1-1']);
    expect(skus(otherTenant)).toEqual(['T2-1']);
    expect(skus(otherOwner)).toEqual([]);
  });
});
