import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { Client } from 'pg';
import { DataSource, In, IsNull } from 'typeorm';
import { DomainEvents } from '../../src/core';
import { OutboxEvent } from '../../src/core/events/outbox-event.entity';
import { ProcessedEvent } from '../../src/core/events/processed-event.entity';
import { EventsTestModule, eventually, ProbeEventHandler } from '../support/events/events-test.module';
import { insertPendingProbeEvent, outboxGauge, outboxRunsCompleted } from '../support/events/outbox-gauges';
import { testRedisUrl } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { redisTestRun } from '../support/jobs/redis-test-run';
import { bootTestApp, bootTestReplicas, type TestApp } from '../support/test-app';

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Every BullMQ key of this run starts with it: other suites share the Redis. */
const runId = `outbox-it-${process.pid}-${randomUUID().slice(0, 8)}`;
const ALL = 'items:read items:write';

function env(test: string, redisUrl = testRedisUrl(), overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    JOBS_KEY_PREFIX: `${runId}-${test}`,
    OUTBOX_RELAY_INTERVAL_SECONDS: '0.5',
    ...overrides,
  };
}

const as = (t: TestApp, options: InjectOptions, sub = 'alice') =>
  t.app.inject({ ...options, headers: { ...options.headers, ...t.authHeader({ sub, scope: ALL }) } });
const createItem = async (t: TestApp, sku: string) => {
  const response = await as(t, { method: 'POST', url: '/items', payload: { sku, name: sku, priceCents: 100, currency: 'EUR' } });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>();
};
const historyTotal = async (t: TestApp, id: string) =>
  (await as(t, { method: 'GET', url: `/items/${id}/history` })).json<{ total: number }>().total;

describe('domain events through the outbox on PostgreSQL and Redis (integration)', () => {
  const { apps, raw } = redisTestRun(runId);

  it('records the history of changes, publishes nothing from a rollback, and runs a handler once for a duplicated event', async () => {
    const t = await bootTestApp(env('basics'), { after: [EventsTestModule] });
    apps.push(t);
    const item = await createItem(t, 'pg-1');
    expect((await as(t, { method: 'PATCH', url: `/items/${item.id}`, payload: { name: 'renamed' } })).statusCode).toBe(200);
    expect(await eventually(async () => (await historyTotal(t, item.id)) === 2, 5000)).toBe(true);

    const dataSource = t.app.get(DataSource);
    const events = t.app.get(DomainEvents);
    const probe = t.app.get(ProbeEventHandler);
    await expect(
      dataSource.transaction(async (manager) => {
        await events.publish(manager, 'probe.happened', { n: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const id = await dataSource.transaction((manager) => events.publish(manager, 'probe.happened', { n: 2 }));
    expect(await eventually(() => probe.count(id) === 1, 5000)).toBe(true);
    expect(await dataSource.getRepository(OutboxEvent).countBy({ type: 'probe.happened' })).toBe(1);

    // The same event handed over again (a relay that died before marking it published): the inbox skips it.
    await dataSource.getRepository(OutboxEvent).update({ id }, { publishedAt: null });
    await raw.unlink(...(await raw.keys(`${runId}-basics:chassis.events:${id}*`)));
    expect(
      await eventually(async () => (await dataSource.getRepository(OutboxEvent).findOneByOrFail({ id })).publishedAt !== null, 5000),
    ).toBe(true);
    expect(
      await eventually(
        () => t.logs.withMessage('Domain event already processed by this handler; skipped').some((line) => line.eventId === id),
        5000,
      ),
    ).toBe(true);
    expect(probe.count(id)).toBe(1);
  }, 30_000);

  it('accepts changes while Redis is down (publishing needs only the database) and delivers after it returns; a process stopped after the commit delivers from the next one', async () => {
    const redis = new TcpProxy(new URL(testRedisUrl()).hostname, Number(new URL(testRedisUrl()).port || 6379));
    await redis.start();
    try {
      const viaProxy = Object.assign(new URL(testRedisUrl()), { hostname: '127.0.0.1', port: String(redis.port) }).href;
      const first = await bootTestApp(env('outage', viaProxy));
      await redis.cut();
      const during = await createItem(first, 'pg-outage-1');
      const dataSource = first.app.get(DataSource);
      // Committed, not delivered: the relay cannot reach the queue.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await dataSource.getRepository(OutboxEvent).countBy({ publishedAt: IsNull() })).toBeGreaterThanOrEqual(1);
      await redis.restore();
      expect(await eventually(async () => (await historyTotal(first, during.id)) === 1, 15_000)).toBe(true);

      // Kill after commit, before publish: Redis gone again, a change commits, the process stops.
      await redis.cut();
      const orphan = await createItem(first, 'pg-outage-2');
      await first.close();
      // Its event is committed and still pending in the outbox (the process never handed it over).
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const pending = await client.query<{ type: string }>(
          `SELECT type FROM outbox_events WHERE published_at IS NULL AND payload LIKE $1`,
          [`%${orphan.id}%`],
        );
        expect(pending.rows).toEqual([{ type: 'item.created' }]);
      } finally {
        await client.end();
      }
      await redis.restore();
      const next = await bootTestApp(env('outage', viaProxy), { keepDatabase: true });
      apps.push(next);
      expect(await eventually(async () => (await historyTotal(next, orphan.id)) === 1, 15_000)).toBe(true);
    } finally {
      await redis.stop();
    }
  }, 90_000);

  it('drains a backlog larger than a batch in one nudged run, without waiting for the schedule', async () => {
    const t = await bootTestApp(env('backlog', testRedisUrl(), { OUTBOX_RELAY_INTERVAL_SECONDS: '3600', OUTBOX_BATCH_SIZE: '10' }), {
      after: [EventsTestModule],
    });
    apps.push(t);
    const dataSource = t.app.get(DataSource);
    const backlog = Array.from({ length: 35 }, (_, n) => ({
      id: randomUUID(),
      type: 'probe.happened',
      payload: { n },
      tenantId: '',
      origin: {},
      createdAt: new Date(Date.now() - 60_000 + n),
      publishedAt: null,
      attempts: 0,
    }));
    await dataSource.getRepository(OutboxEvent).insert(backlog);
    const nudged = await dataSource.transaction((manager) => t.app.get(DomainEvents).publish(manager, 'probe.happened', { n: 35 }));
    const probe = t.app.get(ProbeEventHandler);
    const ids = [...backlog.map((row) => row.id), nudged];
    expect(await eventually(() => ids.every((id) => probe.count(id) === 1), 10_000)).toBe(true);
    expect(await dataSource.getRepository(OutboxEvent).countBy({ id: In(ids), publishedAt: IsNull() })).toBe(0);
  }, 30_000);

  it('relays the commits made within OUTBOX_RELAY_NUDGE_DELAY_SECONDS in one run, after the delay', async () => {
    const t = await bootTestApp(
      env('nudge-delay', testRedisUrl(), { OUTBOX_RELAY_INTERVAL_SECONDS: '3600', OUTBOX_RELAY_NUDGE_DELAY_SECONDS: '0.6' }),
      { after: [EventsTestModule] },
    );
    apps.push(t);
    // The schedule's first run comes at boot; the rows below must be left to the nudges alone.
    expect(await eventually(async () => (await outboxRunsCompleted(t)) >= 1, 5000)).toBe(true);
    const dataSource = t.app.get(DataSource);
    const started = Date.now();
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1)
      ids.push(await dataSource.transaction((manager) => t.app.get(DomainEvents).publish(manager, 'probe.happened', { n })));
    const rows = dataSource.getRepository(OutboxEvent);
    // Still within the delay: the first commit's nudge has not run yet.
    if (Date.now() - started < 400) expect(await rows.countBy({ id: In(ids), publishedAt: IsNull() })).toBe(5);
    const probe = t.app.get(ProbeEventHandler);
    expect(await eventually(() => ids.every((id) => probe.count(id) === 1), 10_000)).toBe(true);
    // One run marks its rows published in one UPDATE: one timestamp for the five.
    const published = await rows.findBy({ id: In(ids) });
    expect(new Set(published.map((row) => row.publishedAt?.toISOString())).size).toBe(1);
  }, 30_000);

  it('runs a nudged run still waiting for its delay at shutdown, so its events are not left pending', async () => {
    const t = await bootTestApp(
      env('nudge-shutdown', testRedisUrl(), { OUTBOX_RELAY_INTERVAL_SECONDS: '3600', OUTBOX_RELAY_NUDGE_DELAY_SECONDS: '1' }),
      { after: [EventsTestModule] },
    );
    const id = await t.app.get(DataSource).transaction((manager) => t.app.get(DomainEvents).publish(manager, 'probe.happened', { n: 1 }));
    await t.close();
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ published_at: Date | null; attempts: number }>(
        'SELECT published_at, attempts FROM outbox_events WHERE id = $1',
        [id],
      );
      // Marked published only once the events queue took it (a failed hand-over counts an attempt and leaves it pending).
      expect(rows).toEqual([{ published_at: expect.any(Date), attempts: 0 }]);
    } finally {
      await client.end();
    }
  }, 30_000);

  it('leaves the relay runs of a PROCESS_ROLE=api process to the workers: its nudge is a relay job, at most one per delay', async () => {
    const shared = { OUTBOX_RELAY_INTERVAL_SECONDS: '3600', OUTBOX_RELAY_NUDGE_DELAY_SECONDS: '0.3' };
    const worker = await bootTestApp(env('handoff', testRedisUrl(), { ...shared, PROCESS_ROLE: 'worker' }), { after: [EventsTestModule] });
    apps.push(worker);
    const api = await bootTestApp(env('handoff', testRedisUrl(), { ...shared, PROCESS_ROLE: 'api' }), { after: [EventsTestModule] });
    apps.push(api);
    const relayRuns = () => outboxRunsCompleted(worker);
    // The schedule's first run, at boot.
    expect(await eventually(async () => (await relayRuns()) >= 1, 5000)).toBe(true);
    const before = await relayRuns();
    const dataSource = api.app.get(DataSource);
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1)
      ids.push(await dataSource.transaction((manager) => api.app.get(DomainEvents).publish(manager, 'probe.happened', { n })));
    const probe = worker.app.get(ProbeEventHandler);
    expect(await eventually(() => ids.every((id) => probe.count(id) === 1), 10_000)).toBe(true);
    expect(api.app.get(ProbeEventHandler).calls).toEqual([]);
    // The five commits (well within one 0.3 s delay) made one relay job, two if they straddled it, run by the worker.
    expect((await relayRuns()) - before).toBeGreaterThanOrEqual(1);
    expect((await relayRuns()) - before).toBeLessThanOrEqual(2);
    expect(api.logs.lines.filter((line) => String(line.msg).startsWith('Outbox relay'))).toEqual([]);
  }, 30_000);

  it('reports a pending event in the gauges, count and age read together on PostgreSQL, and 0 once it is delivered (in-process queue)', async () => {
    const t = await bootTestApp({ DATABASE_URL: databaseUrl, OUTBOX_RELAY_INTERVAL_SECONDS: '0.2' }, { after: [EventsTestModule] });
    apps.push(t);
    const probe = t.app.get(ProbeEventHandler);
    const id = randomUUID();
    // Its handler failing, the event stays pending (in-process, a row is published once its handlers ran).
    probe.failWhile.add(id);
    try {
      await insertPendingProbeEvent(t.app.get(DataSource), id, 600_000);
      expect(await eventually(async () => (await outboxGauge(t, 'outbox_oldest_pending_age_seconds')) >= 600, 3000)).toBe(true);
      // Set by the same refresh as the age: the event that is that old is counted.
      expect(await outboxGauge(t, 'outbox_pending_events')).toBe(1);
      expect(await outboxGauge(t, 'outbox_oldest_pending_age_seconds')).toBeLessThan(660);
    } finally {
      probe.failWhile.delete(id);
    }
    expect(await eventually(() => probe.count(id) === 1, 15_000)).toBe(true);
    expect(await eventually(async () => (await outboxGauge(t, 'outbox_pending_events')) === 0, 3000)).toBe(true);
    expect(await outboxGauge(t, 'outbox_oldest_pending_age_seconds')).toBe(0);
  }, 30_000);

  it('relays once per cluster: three replicas deliver each event to its handler once', async () => {
    const replicas = await bootTestReplicas(3, env('cluster'), { after: [EventsTestModule] });
    apps.push(...replicas);
    const ids: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      const t = replicas[index % 3]!;
      ids.push(
        await t.app.get(DataSource).transaction((manager) => t.app.get(DomainEvents).publish(manager, 'probe.happened', { n: index })),
      );
    }
    const handled = (id: string) => replicas.reduce((sum, t) => sum + t.app.get(ProbeEventHandler).count(id), 0);
    expect(await eventually(() => ids.every((id) => handled(id) >= 1), 15_000)).toBe(true);
    expect(ids.map(handled)).toEqual(ids.map(() => 1));
    const completed = () =>
      replicas.flatMap((t) => t.logs.lines.filter((line) => line.queue === 'chassis.events' && line.msg === 'Job completed'));
    const processed = () => replicas[0]!.app.get(DataSource).getRepository(ProcessedEvent).countBy({ handler: 'ProbeEventHandler.handle' });
    // A handler has run before its job's inbox row commits and its 'Job completed' line is written: wait for the last of them.
    await eventually(async () => completed().length >= ids.length && (await processed()) >= ids.length, 5_000);
    for (const id of ids) expect(completed().filter((line) => line.jobId === id)).toHaveLength(1);
    expect(await processed()).toBe(ids.length);
  }, 60_000);
});
