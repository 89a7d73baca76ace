import { Injectable } from '@nestjs/common';
import { type DomainEvent, EventHub, OnDomainEvent } from '../../core';
import { itemChangesTopic, type ItemEvent } from './items.service';

/** The `event:` name of each item domain event on the owner's live stream. */
const STREAM_EVENT = { 'item.created': 'created', 'item.updated': 'updated', 'item.deleted': 'deleted' } as const;

/**
 * Announces each committed item change on its owner's live stream
 * (`GET /items/events`): the stream's source is the outbox's domain events,
 * so a change is announced once it is committed, on whichever replica or
 * worker handles the event, and the hub fans it out to every replica.
 *
 * `data` is `{ id, ownerId, version, …changed fields }` (all fields on a
 * create), or `{ id }` on a delete. A publish the hub cannot make (Redis
 * down) is logged and counted by the hub and not retried: a live view that
 * missed it gets a `reset` on reconnect and reloads.
 */
@Injectable()
export class ItemChangeAnnouncer {
  constructor(private readonly hub: EventHub) {}

  @OnDomainEvent('item.created')
  @OnDomainEvent('item.updated')
  @OnDomainEvent('item.deleted')
  async announce(event: DomainEvent<ItemEvent>): Promise<void> {
    const { id, ownerId, tenantId, version, changes } = event.payload;
    const type = event.type as keyof typeof STREAM_EVENT;
    const data = type === 'item.deleted' ? { id } : { id, ownerId, version, ...changes };
    await this.hub
      .publish(itemChangesTopic(ownerId), { event: STREAM_EVENT[type], data }, tenantId === undefined ? {} : { tenant: tenantId })
      .catch(() => undefined);
  }
}
