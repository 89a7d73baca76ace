import { Injectable } from '@nestjs/common';
import { currentRequestContext } from '../context/request-context';
import { JobProcessor } from '../jobs/job-processor.decorator';
import type { ProcessedJob } from '../jobs/processed-job';
import { DomainEventHandlers } from './domain-event-handlers';
import { DOMAIN_EVENTS_QUEUE, type DomainEventJob } from './events.queues';
import { OutboxRelay } from './outbox-relay';

/** Runs a delivered event's handlers (a job of the events queue, retried with the queue's defaults). */
@Injectable()
@JobProcessor(DOMAIN_EVENTS_QUEUE)
export class DomainEventsProcessor {
  constructor(
    private readonly handlers: DomainEventHandlers,
    private readonly relay: OutboxRelay,
  ) {}

  async process(job: ProcessedJob<DomainEventJob>): Promise<void> {
    const { id, type, payload, occurredAt } = job.payload;
    await this.handlers.dispatch({ id, type, payload, occurredAt, tenantId: currentRequestContext()?.tenantId });
    this.relay.delivered(id);
  }
}
