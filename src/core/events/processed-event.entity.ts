import { Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/timestamp-column.decorator';

/**
 * The handlers' inbox (table `processed_events`, docs/jobs.md): one row per
 * event and handler, written in the same transaction as the handler's
 * effects, so a handler runs to its commit at most once per event id however
 * many times the event is delivered.
 */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  /** The event's id. */
  @PrimaryColumn({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  /** The handler's name (`<Class>.<method>`). */
  @PrimaryColumn({ type: 'varchar', length: 200 })
  handler!: string;

  /** When the handler's transaction ran; the housekeeping deletes rows older than `OUTBOX_RETENTION_HOURS`. */
  @Index('IDX_processed_events_processed_at')
  @TimestampColumn({ name: 'processed_at' })
  processedAt!: Date;
}
