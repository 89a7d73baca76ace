import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TenantScoped, TimestampColumn } from '../../../core';

/** What happened to an item, as its history lists it. */
export const ITEM_EVENT_TYPES = ['item.created', 'item.updated', 'item.deleted'] as const;
export type ItemEventType = (typeof ITEM_EVENT_TYPES)[number];

/**
 * One change of an item, recorded from its domain event (`item.created`,
 * `item.updated`, `item.deleted`) by `ItemHistoryRecorder`; the owner reads
 * them at `GET /items/{id}/history`. Kept after the item is deleted.
 */
@TenantScoped()
@Index('IDX_item_history_item_owner', ['itemId', 'ownerId'])
@Entity({ name: 'item_history' })
export class ItemHistory {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The item's id. */
  @Column({ type: 'uuid', name: 'item_id' })
  itemId!: string;

  /** The item's owner (`sub`). */
  @Column({ type: 'varchar', length: 255, name: 'owner_id' })
  ownerId!: string;

  /** The domain event this entry records (one entry per event). */
  @Index('UQ_item_history_event_id', { unique: true })
  @Column({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @ApiProperty({ enum: ITEM_EVENT_TYPES })
  @Column({ type: 'varchar', length: 32 })
  type!: ItemEventType;

  /** The item's version after the change (its ETag); on a delete, the version deleted. */
  @Column({ type: 'integer' })
  version!: number;

  /** The fields the change set (created: all of them; updated: those changed); none on a delete. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  @Column({ type: 'simple-json', nullable: true })
  changes!: Record<string, unknown> | null;

  /** When the change was committed (the event's time). */
  @TimestampColumn({ name: 'occurred_at' })
  occurredAt!: Date;
}
