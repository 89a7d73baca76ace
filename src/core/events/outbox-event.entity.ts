import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/timestamp-column.decorator';
import type { JobOrigin } from '../jobs/job-envelope';

/**
 * A domain event waiting in the transactional outbox (table `outbox_events`,
 * docs/jobs.md): written by `DomainEvents.publish()` in the publisher's
 * transaction, moved to the events queue by the `OutboxRelay`, deleted by the
 * housekeeping schedule once published and past `OUTBOX_RETENTION_HOURS`.
 * Not tenant-scoped: the relay moves every tenant's events; `tenantId` is kept
 * to restore the tenant while handlers run.
 */
@Entity({ name: 'outbox_events' })
@Index('IDX_outbox_events_pending', ['publishedAt', 'createdAt'])
export class OutboxEvent {
  /** The event's id (a UUID): the job's id in the events queue and the key of the handlers' inbox. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The event's type, e.g. `item.created`. */
  @Column({ type: 'varchar', length: 200 })
  type!: string;

  /** The event's payload, plain JSON. */
  @Column({ type: 'simple-json' })
  payload!: Record<string, unknown>;

  /** The publishing request's tenant; `''` outside a tenant. */
  @Column({ type: 'varchar', length: 128, name: 'tenant_id', default: '' })
  tenantId!: string;

  /** The publishing request's ids, subject and W3C trace context (the handlers' jobs carry them). */
  @Column({ type: 'simple-json' })
  origin!: JobOrigin;

  /** When it was published (the publisher's clock). */
  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  /** When the relay handed it to the queue; null while pending. */
  @TimestampColumn({ name: 'published_at', nullable: true })
  publishedAt!: Date | null;

  /** The relay's failed attempts at handing it to the queue. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;
}
