import { Injectable, type Type } from '@nestjs/common';
import { JobProcessor } from '../jobs/job-processor.decorator';
import type { ProcessedJob } from '../jobs/processed-job';
import type { QueueDefinition } from '../jobs/queue-definition';
import type { OutboxTask } from './events.queues';
import { OutboxRelay } from './outbox-relay';

/** The processor of the outbox's scheduled tasks (a class per app: the queue's schedules come from its configuration). */
export function outboxProcessor(queue: QueueDefinition<OutboxTask>): Type {
  @Injectable()
  @JobProcessor(queue)
  class OutboxProcessor {
    constructor(private readonly relay: OutboxRelay) {}

    process(job: ProcessedJob<OutboxTask>): Promise<void> {
      return job.payload.task === 'relay' ? this.relay.run() : this.relay.housekeeping();
    }
  }
  return OutboxProcessor;
}
