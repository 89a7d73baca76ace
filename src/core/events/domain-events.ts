import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import { insertRow } from '../database/row-insert';
import { currentOrigin } from '../jobs/job-envelope';
import { storedPayload } from '../jobs/job-payload';
import { isEventType } from './domain-event';
import { OutboxEvent } from './outbox-event.entity';
import { OutboxRelay } from './outbox-relay';

/** The transactions that published an event, until they commit (the relay is nudged then). */
const publishedIn = new WeakSet<QueryRunner>();

/**
 * Publishes domain events through the transactional outbox
 * (docs/jobs.md#domain-events-and-the-outbox). Inject it in a feature's service.
 */
@Injectable()
export class DomainEvents {
  constructor(private readonly relay: OutboxRelay) {}

  /**
   * Writes the event to the outbox through `manager`: inside the caller's
   * transaction (`dataSource.transaction(manager => …)`), it commits with the
   * state change or not at all (a rollback publishes nothing). Nothing else
   * happens at request time: no queue, no Redis. After the commit this
   * process's relay is nudged; the outbox's schedule relays anything left.
   * The event carries the current request's tenant, subject, ids and trace
   * context to its handlers.
   *
   * @param type the event's type, dot-separated lower-case words (`item.created`).
   * @param payload plain JSON (dates become strings); keep it to what handlers need, ids over copies.
   * @returns the event's id (a UUID).
   * @throws Error when `type` is malformed (a programming error).
   */
  async publish(manager: EntityManager, type: string, payload: object): Promise<string> {
    if (!isEventType(type)) throw new Error(`domain event type "${type}" must be dot-separated lower-case words, e.g. "item.created"`);
    const origin = currentOrigin();
    const id = randomUUID();
    const row: OutboxEvent = {
      id,
      type,
      payload: storedPayload(payload),
      tenantId: origin.tenantId ?? '',
      origin,
      createdAt: new Date(),
      publishedAt: null,
      attempts: 0,
    };
    await insertRow(manager, OutboxEvent, row);
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) publishedIn.add(runner);
    else this.relay.nudge();
    return id;
  }
}

/**
 * Called by the data source's subscriber after each commit: nudges the
 * relay when the transaction published an event (`OutboxCommitSubscriber`).
 */
export function committed(runner: QueryRunner, relay: OutboxRelay): void {
  if (!publishedIn.has(runner)) return;
  publishedIn.delete(runner);
  relay.nudge();
}

/** After a rollback the transaction's events are gone: forget it. */
export function rolledBack(runner: QueryRunner): void {
  publishedIn.delete(runner);
}
