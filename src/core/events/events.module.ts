import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { JobsModule } from '../jobs/jobs.module';
import { markDatabaseBacked } from '../jobs/jobs.registry';
import { DomainEventHandlers } from './domain-event-handlers';
import { DomainEvents } from './domain-events';
import { DomainEventsProcessor } from './domain-events.processor';
import { DOMAIN_EVENTS_QUEUE, outboxQueue } from './events.queues';
import { OutboxCommitSubscriber } from './outbox-commit.subscriber';
import { OutboxEvent } from './outbox-event.entity';
import { OutboxRelay } from './outbox-relay';
import { OutboxMetrics } from './outbox.metrics';
import { outboxProcessor } from './outbox.processor';
import { ProcessedEvent } from './processed-event.entity';

/**
 * Domain events through a transactional outbox (docs/jobs.md#domain-events-and-the-outbox):
 * `DomainEvents` (global) for publishers, `@OnDomainEvent()` for handlers,
 * the relay and its schedules, the inbox, the housekeeping and the gauges.
 *
 * Its two queues are backed by the database (an outbox row stays pending
 * until handed over, or without Redis until handled): they do not make
 * production require `REDIS_URL`, nor readiness depend on Redis.
 */
@Module({})
export class EventsModule implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    const outbox = outboxQueue(config);
    markDatabaseBacked(DOMAIN_EVENTS_QUEUE);
    markDatabaseBacked(outbox);
    return {
      module: EventsModule,
      global: true,
      imports: [
        DiscoveryModule,
        TypeOrmModule.forFeature([OutboxEvent, ProcessedEvent]),
        JobsModule.forFeature([DOMAIN_EVENTS_QUEUE, outbox]),
      ],
      providers: [OutboxMetrics, OutboxRelay, DomainEvents, DomainEventHandlers, DomainEventsProcessor, outboxProcessor(outbox)],
      exports: [DomainEvents],
    };
  }

  onModuleInit(): void {
    this.dataSource.subscribers.push(new OutboxCommitSubscriber(this.relay));
  }
}
