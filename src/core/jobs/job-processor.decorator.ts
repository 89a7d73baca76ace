import { SetMetadata } from '@nestjs/common';
import type { QueueDefinition } from './queue-definition';
import type { ProcessedJob } from './processed-job';

/** Metadata key of {@link JobProcessor}: the queue the class processes. */
export const JOB_PROCESSOR = Symbol('chassis.jobProcessor');

/** What a processor class implements: one call per attempt. Throwing (or rejecting) fails the attempt. */
export interface JobHandler<T extends object> {
  process(job: ProcessedJob<T>): Promise<void> | void;
}

/**
 * Marks a provider as the processor of `queue`: its `process(job)` runs each
 * job, with the validated payload, id, attempt and an abort signal
 * (docs/jobs.md). One processor per queue; list the class in the feature
 * module's `providers` next to `JobsModule.forFeature([queue])`.
 * With `PROCESS_ROLE=api` it is never called.
 */
export function JobProcessor<T extends object>(queue: QueueDefinition<T>): ClassDecorator {
  return SetMetadata(JOB_PROCESSOR, queue);
}
