import type { DataSource } from 'typeorm';
import { OutboxEvent } from '../../../src/core/events/outbox-event.entity';
import { find, parseSamples } from '../prometheus-text';
import type { TestApp } from '../test-app';

/** The value of one of the outbox gauges in the app's `/metrics` (NaN when it is absent). */
export async function outboxGauge(t: TestApp, name: 'outbox_pending_events' | 'outbox_oldest_pending_age_seconds'): Promise<number> {
  const samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
  return find(samples, name)[0]?.value ?? Number.NaN;
}

/** How many jobs of the outbox queue (relay runs and housekeeping) the app's workers completed, from its `/metrics`. */
export async function outboxRunsCompleted(t: TestApp): Promise<number> {
  const samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
  return find(samples, 'queue_jobs_processed_total', { queue: 'chassis.outbox', status: 'completed' })[0]?.value ?? 0;
}

/**
 * Writes a pending `probe.happened` event straight into the outbox, published
 * `ageMs` milliseconds ago: what a process that stopped after its commit leaves behind.
 */
export async function insertPendingProbeEvent(dataSource: DataSource, id: string, ageMs: number): Promise<void> {
  await dataSource.getRepository(OutboxEvent).insert({
    id,
    type: 'probe.happened',
    payload: { n: 1 },
    tenantId: '',
    origin: {},
    createdAt: new Date(Date.now() - ageMs),
    publishedAt: null,
    attempts: 0,
  });
}
