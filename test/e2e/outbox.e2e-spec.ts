import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { DataSource } from 'typeorm';
import { DomainEvents } from '../../src/core';
import { DOMAIN_EVENTS_QUEUE } from '../../src/core/events/events.queues';
import { OutboxEvent } from '../../src/core/events/outbox-event.entity';
import { ProcessedEvent } from '../../src/core/events/processed-event.entity';
import { JobsEngine } from '../../src/core/jobs/jobs.engine';
import { queueSettings } from '../../src/core/jobs/queue-settings';
import { APP_CONFIG } from '../../src/core/config/config.tokens';
import { runInRequestContext } from '../../src/core/context/request-context';
import type { AppConfig } from '../../src/core/config/app-config';
import { EventsTestModule, eventually, ProbeEventHandler } from '../support/events/events-test.module';
import { insertPendingProbeEvent, outboxGauge, outboxRunsCompleted } from '../support/events/outbox-gauges';
import { bootTestApp, type TestApp } from '../support/test-app';

const ALL = 'items:read items:write';

describe('domain events through the outbox (e2e, SQLite, in-process engine)', () => {
  let t: TestApp;
  let probe: ProbeEventHandler;
  let dataSource: DataSource;
  let events: DomainEvents;
  beforeAll(async () => {
    t = await bootTestApp({ OUTBOX_RELAY_INTERVAL_SECONDS: '0.2' }, { after: [EventsTestModule] });
    probe = t.app.get(ProbeEventHandler);
    dataSource = t.app.get(DataSource);
    events = t.app.get(DomainEvents);
  });
  afterAll(async () => t.close());

  const as = (options: InjectOptions, sub = 'alice') =>
    t.app.inject({ ...options, headers: { ...options.headers, ...t.authHeader({ sub, scope: ALL }) } });
  const historyOf = async (id: string, sub = 'alice', query = '') => as({ method: 'GET', url: `/items/${id}/history${query}` }, sub);

  it("logs the relay's runs (every 0.2 s here) at debug level only: no info line per run", async () => {
    expect(await eventually(async () => (await outboxRunsCompleted(t)) >= 3, 5_000)).toBe(true);
    expect(t.logs.lines.filter((line) => line.queue === 'chassis.outbox' && line.msg === 'Job completed')).toEqual([]);
  });

  it("records an item's create, update and delete in its history, newest first, within a second of each change", async () => {
    const item = (
      await as({ method: 'POST', url: '/items', payload: { sku: 'hist-1', name: 'Kettle', priceCents: 100, currency: 'EUR' } })
    ).json();
    expect(await eventually(async () => (await historyOf(item.id)).json().total === 1)).toBe(true);
    expect((await as({ method: 'PATCH', url: `/items/${item.id}`, payload: { name: 'Steel kettle' } })).statusCode).toBe(200);
    expect(await eventually(async () => (await historyOf(item.id)).json().total === 2)).toBe(true);
    expect((await as({ method: 'DELETE', url: `/items/${item.id}` })).statusCode).toBe(204);
    expect(await eventually(async () => (await historyOf(item.id)).json().total === 3)).toBe(true);

    const page = (await historyOf(item.id)).json();
    expect(page).toMatchObject({ total: 3, limit: 20, offset: 0 });
    expect(page.items.map((entry: { type: string }) => entry.type)).toEqual(['item.deleted', 'item.updated', 'item.created']);
    expect(page.items[0]).toMatchObject({ itemId: item.id, ownerId: 'alice', version: 2, changes: null });
    expect(page.items[1]).toMatchObject({ version: 2, changes: { name: 'Steel kettle' } });
    expect(page.items[2]).toMatchObject({ version: 1, changes: { sku: 'hist-1', name: 'Kettle', priceCents: 100, currency: 'EUR' } });
    expect(page.items[0]).not.toHaveProperty('tenantId');
    const second = (await historyOf(item.id, 'alice', '?limit=1&offset=1')).json();
    expect(second.items.map((entry: { type: string }) => entry.type)).toEqual(['item.updated']);
  });

  it("answers 404 for another owner's item history, and 400 for a bad id", async () => {
    const item = (
      await as({ method: 'POST', url: '/items', payload: { sku: 'hist-2', name: 'Mug', priceCents: 100, currency: 'EUR' } })
    ).json();
    const other = await historyOf(item.id, 'bob');
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect((await historyOf(randomUUID())).statusCode).toBe(404);
    expect((await historyOf('not-a-uuid')).statusCode).toBe(400);
  });

  it('publishes nothing from a rolled-back transaction', async () => {
    const before = await dataSource.getRepository(OutboxEvent).countBy({ type: 'probe.happened' });
    await expect(
      dataSource.transaction(async (manager) => {
        await events.publish(manager, 'probe.happened', { n: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const committed = await dataSource.transaction((manager) => events.publish(manager, 'probe.happened', { n: 2 }));
    expect(await eventually(() => probe.count(committed) === 1)).toBe(true);
    expect(await dataSource.getRepository(OutboxEvent).countBy({ type: 'probe.happened' })).toBe(before + 1);
    expect(probe.calls.filter((call) => (call.payload as { n: number }).n === 1)).toEqual([]);
  });

  it('runs a handler once per event id when the event is delivered twice, and retries a failed handler', async () => {
    const id = await dataSource.transaction((manager) => events.publish(manager, 'probe.happened', { n: 3 }));
    expect(await eventually(() => probe.count(id) === 1)).toBe(true);
    // Deliver the same event again, as a second job (what a relay run repeated after a lost acknowledgement does).
    const engine = t.app.get(JobsEngine);
    const settings = queueSettings(DOMAIN_EVENTS_QUEUE, t.app.get<AppConfig>(APP_CONFIG));
    const row = await dataSource.getRepository(OutboxEvent).findOneByOrFail({ id });
    const job = { id, type: row.type, payload: row.payload, occurredAt: row.createdAt.toISOString() };
    await engine.add(settings, { payload: job, origin: {} }, { jobId: randomUUID() });
    expect(
      await eventually(() =>
        t.logs.withMessage('Domain event already processed by this handler; skipped').some((line) => line.eventId === id),
      ),
    ).toBe(true);
    expect(probe.count(id)).toBe(1);
    expect(await dataSource.getRepository(ProcessedEvent).countBy({ eventId: id })).toBe(1);

    const failing = randomUUID();
    probe.failOnce.add(failing);
    // The handler's first attempt fails: its inbox row rolls back with it, and the retry runs it.
    await engine.add(settings, { payload: { ...job, id: failing }, origin: {} }, { jobId: failing });
    expect(await eventually(() => probe.count(failing) === 1, 5000)).toBe(true);
  });

  it('marks an event published once its handlers ran (in-process), and the gauges come from the relay', async () => {
    const id = await dataSource.transaction((manager) => events.publish(manager, 'probe.happened', { n: 4 }));
    expect(await eventually(async () => (await dataSource.getRepository(OutboxEvent).findOneByOrFail({ id })).publishedAt !== null)).toBe(
      true,
    );
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^outbox_pending_events \d+$/m);
    expect(metrics).toMatch(/^outbox_oldest_pending_age_seconds [\d.e+-]+$/m);
  });

  it('reports an event waiting for its handler in the gauges (count and age), and 0 once it is delivered', async () => {
    const gauge = (name: 'outbox_pending_events' | 'outbox_oldest_pending_age_seconds') => outboxGauge(t, name);
    // Published 10 minutes ago (say by a process that stopped after its commit), its handler failing: it stays pending.
    const id = randomUUID();
    probe.failWhile.add(id);
    try {
      await insertPendingProbeEvent(dataSource, id, 600_000);
      // The alert OutboxLag reads this age.
      expect(await eventually(async () => (await gauge('outbox_oldest_pending_age_seconds')) >= 600, 3000)).toBe(true);
      expect(await gauge('outbox_pending_events')).toBeGreaterThanOrEqual(1);
    } finally {
      probe.failWhile.delete(id);
    }
    expect(await eventually(() => probe.count(id) === 1, 15_000)).toBe(true);
    // Refreshed at most once a second, and once more at the end of that second: back to 0 soon after the delivery.
    expect(await eventually(async () => (await gauge('outbox_pending_events')) === 0, 3000)).toBe(true);
    expect(await gauge('outbox_oldest_pending_age_seconds')).toBe(0);
  }, 30_000);
});

describe('jobs and events carry the tenant (e2e, tenancy on)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ TENANT_CLAIM: 'tenant_id', OUTBOX_RELAY_INTERVAL_SECONDS: '0.2' }, { after: [EventsTestModule] });
  });
  afterAll(async () => t.close());

  const as = (options: InjectOptions, tenant: string, sub = 'alice') =>
    t.app.inject({ ...options, headers: { ...options.headers, ...t.authHeader({ sub, scope: ALL, tenant_id: tenant }) } });

  it("records the history in the publishing request's tenant: the job runs in it, its log lines and span name it", async () => {
    const created = await as(
      { method: 'POST', url: '/items', payload: { sku: 'ten-1', name: 'Lamp', priceCents: 100, currency: 'EUR' } },
      'acme',
    );
    expect(created.statusCode).toBe(201);
    const item = created.json();
    const history = () => as({ method: 'GET', url: `/items/${item.id}/history` }, 'acme');
    expect(await eventually(async () => (await history()).json().total === 1)).toBe(true);
    expect((await history()).json().items[0]).toMatchObject({ type: 'item.created', ownerId: 'alice' });
    // The same subject in another tenant sees neither the item nor its history.
    expect((await as({ method: 'GET', url: `/items/${item.id}/history` }, 'other')).statusCode).toBe(404);

    const jobLines = t.logs.lines.filter((line) => line.queue === 'chassis.events' && line.msg === 'Job completed');
    expect(jobLines.length).toBeGreaterThanOrEqual(1);
    expect(jobLines.at(-1)).toMatchObject({ tenant_id: 'acme', requestId: created.headers['x-request-id'] });
  });

  it("restores the tenant and subject in a job a request's code published, for its handler", async () => {
    const probe = t.app.get(ProbeEventHandler);
    const events = t.app.get(DomainEvents);
    const dataSource = t.app.get(DataSource);
    const id = await runInRequestContext(
      { requestId: 'r-1', correlationId: 'c-1', signal: new AbortController().signal, tenantId: 'globex', subject: 'carol' },
      () => dataSource.transaction((manager) => events.publish(manager, 'probe.happened', { n: 5 })),
    );
    expect(await eventually(() => probe.count(id) === 1)).toBe(true);
    expect(probe.calls.find((call) => call.id === id)).toMatchObject({ tenantId: 'globex' });
    const row = await dataSource.getRepository(OutboxEvent).findOneByOrFail({ id });
    expect(row).toMatchObject({
      tenantId: 'globex',
      origin: { requestId: 'r-1', correlationId: 'c-1', tenantId: 'globex', subject: 'carol' },
    });
  });
});
