import { IsIn, IsISO8601, IsObject, IsString, IsUUID, MaxLength } from 'class-validator';
import type { AppConfig } from '../config/app-config';
import { defineQueue, type QueueDefinition } from '../jobs/queue-definition';

/** One delivery of a domain event to this service's handlers: a job of {@link DOMAIN_EVENTS_QUEUE}, whose id is the event's. */
export class DomainEventJob {
  @IsUUID()
  id!: string;

  @IsString()
  @MaxLength(200)
  type!: string;

  @IsObject()
  payload!: Record<string, unknown>;

  @IsISO8601()
  occurredAt!: string;
}

/** The queue the relay moves events to; its processor runs every `@OnDomainEvent()` handler of the event's type. Queue defaults: the `JOBS_*` ones. */
export const DOMAIN_EVENTS_QUEUE = defineQueue({ name: 'chassis.events', payload: DomainEventJob });

/** What a job of the outbox queue does: a relay run, or the housekeeping. */
export class OutboxTask {
  @IsIn(['relay', 'housekeeping'])
  task!: 'relay' | 'housekeeping';
}

/** How often the housekeeping runs (cron, UTC): hourly, at minute 17, away from the top of the hour. */
export const OUTBOX_HOUSEKEEPING_CRON = '17 * * * *';

/**
 * The outbox's own queue and its two schedules (once per cluster on Redis):
 * the relay every `OUTBOX_RELAY_INTERVAL_SECONDS`, the housekeeping hourly.
 * One attempt per run: the next run does the same work. A completed run logs
 * at debug level only (`logCompleted: false`).
 */
export function outboxQueue(config: AppConfig): QueueDefinition<OutboxTask> {
  return defineQueue({
    name: 'chassis.outbox',
    payload: OutboxTask,
    // A relay run every few seconds per cluster: its completions are logged at debug level, its failures as any job's.
    defaults: { attempts: 1, keepFailed: 100, logCompleted: false },
    schedules: [
      { name: 'relay', everySeconds: config.outbox.relayIntervalSeconds, payload: { task: 'relay' } },
      { name: 'housekeeping', cron: OUTBOX_HOUSEKEEPING_CRON, payload: { task: 'housekeeping' } },
    ],
  });
}
