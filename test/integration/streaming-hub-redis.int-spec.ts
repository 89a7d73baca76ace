import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { Registry } from 'prom-client';
import { EventHub, RESET_EVENT, TenantScopeError } from '../../src/core';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { testRedisUrl } from '../support/redis-server';
import { ends, take } from '../support/streaming/hub-reading';
import { bootTestApp, type TestApp } from '../support/test-app';

/** The Redis Streams hub of two app instances sharing the machine's Redis, under a key prefix of this run's own. */
describe('event hub on Redis Streams across two app instances (integration)', () => {
  const prefix = `hub-test-${process.pid}-${randomUUID().slice(0, 8)}:`;
  const env = { DATABASE_URL: 'sqlite::memory:', REDIS_URL: testRedisUrl(), SSE_HUB_KEY_PREFIX: prefix, SSE_REPLAY_MAX_EVENTS: '5' };
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;
  const hub = (t: TestApp) => t.app.get(EventHub);
  const topic = () => `topic-${randomUUID()}`;
  const subscriptions: AbortController[] = [];
  const subscribe = (t: TestApp, name: string, lastEventId?: string) => {
    const controller = new AbortController();
    subscriptions.push(controller);
    return hub(t).subscribe(name, { lastEventId, signal: controller.signal })[Symbol.asyncIterator]();
  };

  beforeAll(async () => {
    a = await bootTestApp(env);
    b = await bootTestApp(env);
    redis = new Redis(testRedisUrl());
  });
  afterEach(() => subscriptions.splice(0).forEach((controller) => controller.abort()));
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await Promise.all([a?.close(), b?.close()]);
  });

  it('delivers an event published on one instance to a subscriber on the other, with the Redis stream id', async () => {
    const name = topic();
    const onB = subscribe(b, name);
    const first = take(onB, 2);
    // The subscription starts with the first read; give its XREAD a moment to include the topic.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const id1 = await hub(a).publish(name, { event: 'created', data: { n: 1 } });
    const id2 = await hub(b).publish(name, { event: 'updated', data: 'two' });
    expect(await first).toEqual([
      { id: id1, event: 'created', data: { n: 1 } },
      { id: id2, event: 'updated', data: 'two' },
    ]);
    expect(id1).toMatch(/^\d+-\d+$/);
    expect(await redis.xlen(`${prefix}topic/${name}`)).toBe(2);
  });

  it('replays the events after Last-Event-ID on either instance, then goes on live', async () => {
    const name = topic();
    const ids = [];
    for (let n = 1; n <= 3; n++) ids.push(await hub(a).publish(name, { data: n }));
    for (const t of [a, b]) {
      const replayed = subscribe(t, name, ids[0]);
      expect((await take(replayed, 2)).map((event) => [event.id, event.data])).toEqual([
        [ids[1], 2],
        [ids[2], 3],
      ]);
    }
    const resumed = subscribe(b, name, ids[2]);
    const next = take(resumed, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const id4 = await hub(a).publish(name, { data: 4 });
    expect(await next).toEqual([{ id: id4, data: 4 }]);
  });

  it('sends a reset with the newest id when more events were missed than the window keeps, or the id is unknown', async () => {
    const name = topic();
    const ids = [];
    for (let n = 1; n <= 7; n++) ids.push(await hub(a).publish(name, { data: n }));
    expect(await take(subscribe(b, name, ids[0]), 1)).toEqual([{ id: ids[6], event: RESET_EVENT, data: { reason: 'replay-unavailable' } }]);
    expect(await take(subscribe(b, name, 'garbage'), 1)).toEqual([expect.objectContaining({ event: RESET_EVENT, id: ids[6] })]);
    expect(await take(subscribe(b, topic(), '1-0'), 1)).toEqual([{ event: RESET_EVENT, data: { reason: 'replay-unavailable' } }]);
    const resets = await b.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('sse_hub_replay_resets_total')?.get();
    expect(resets?.values[0]?.value).toBe(3);
  });

  it('ends the subscription and releases it when the signal aborts', async () => {
    const name = topic();
    const controller = new AbortController();
    const iterator = hub(b).subscribe(name, { signal: controller.signal })[Symbol.asyncIterator]();
    const ended = ends(iterator);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const gauge = async () => (await b.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('sse_hub_subscribers')?.get())?.values[0]?.value;
    expect(await gauge()).toBe(1);
    controller.abort();
    expect(await ended).toBe(true);
    expect(await gauge()).toBe(0);
  });

  it('keeps tenants apart with tenancy on: the same topic name in two tenants are two streams', async () => {
    const tenanted = await bootTestApp({ ...env, TENANT_CLAIM: 'tenant' });
    try {
      const name = topic();
      const signal = new AbortController().signal;
      const inT1 = tenanted.app.get(EventHub).subscribe(name, { signal, tenant: 't1' })[Symbol.asyncIterator]();
      const inT2 = tenanted.app.get(EventHub).subscribe(name, { signal, tenant: 't2' })[Symbol.asyncIterator]();
      const [fromT1, fromT2] = [take(inT1, 1, 1500), take(inT2, 1, 1500)];
      await new Promise((resolve) => setTimeout(resolve, 200));
      const id = await tenanted.app.get(EventHub).publish(name, { data: 'for t1' }, { tenant: 't1' });
      expect(await fromT1).toEqual([{ id, data: 'for t1' }]);
      expect(await fromT2).toEqual([]);
      expect(await redis.exists(`${prefix}tenant/t1/${name}`)).toBe(1);
      // No request and no tenant named: refused, never published to a shared topic.
      expect(() => tenanted.app.get(EventHub).subscribe(name, { signal })).toThrow(TenantScopeError);
      await expect(tenanted.app.get(EventHub).publish(name, { data: 'nowhere' })).rejects.toThrow(TenantScopeError);
      void inT1.return?.();
      void inT2.return?.();
    } finally {
      await tenanted.close();
    }
  });
});
