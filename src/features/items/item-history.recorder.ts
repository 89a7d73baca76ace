import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type DomainEvent, OnDomainEvent } from '../../core';
import { ItemHistory, type ItemEventType } from './entities/item-history.entity';
import type { ItemEvent } from './items.service';

/**
 * Records each item event into the item's history, in the handler's
 * transaction (the chassis's inbox makes a redelivered event a no-op).
 */
@Injectable()
export class ItemHistoryRecorder {
  @OnDomainEvent('item.created')
  @OnDomainEvent('item.updated')
  @OnDomainEvent('item.deleted')
  async record(event: DomainEvent<ItemEvent>, manager: EntityManager): Promise<void> {
    const { id, ownerId, version, changes } = event.payload;
    const history = manager.getRepository(ItemHistory);
    await history.save(
      history.create({
        itemId: id,
        ownerId,
        eventId: event.id,
        type: event.type as ItemEventType,
        version,
        changes: changes ?? null,
        occurredAt: new Date(event.occurredAt),
      }),
    );
  }
}
