import { randomUUID } from 'node:crypto';
import { Body, Controller, Injectable, Logger, Module, NotFoundException, Param, Post } from '@nestjs/common';
import {
  defineQueue,
  InjectJobQueue,
  JobProcessor,
  JobQueue,
  JobsModule,
  Public,
  PublicWrite,
  type ProcessedJob,
  type QueueDefinition,
} from '../../../src/core';
import { ProbeJobDto, work } from './jobs-test.module';

/** Three at once per process. */
export const BoundedQueue = defineQueue({ name: 'bounded', payload: ProbeJobDto, defaults: { concurrency: 3, attempts: 1 } });

/** At most 3 starts a second across the cluster, however many may run at once. */
export const LimitedQueue = defineQueue({
  name: 'limited',
  payload: ProbeJobDto,
  defaults: { concurrency: 20, attempts: 1, rateLimit: { max: 3, durationSeconds: 1 } },
});

/** One attempt, one failed job kept (completed ones: `JOBS_KEEP_COMPLETED`). */
export const KeptQueue = defineQueue({ name: 'kept', payload: ProbeJobDto, defaults: { attempts: 1, keepFailed: 1, concurrency: 5 } });

/** Long jobs, two at once: for shutdown and dead-worker tests. */
export const LongQueue = defineQueue({ name: 'long', payload: ProbeJobDto, defaults: { attempts: 3, concurrency: 2, timeoutSeconds: 30 } });

const QUEUES: Record<string, QueueDefinition<ProbeJobDto>> = {
  bounded: BoundedQueue,
  limited: LimitedQueue,
  kept: KeptQueue,
  long: LongQueue,
};

/** Jobs of each queue running right now in each processor instance, and the most seen at once. */
export const running = new Map<string, { now: number; most: number }>();

function processorFor(queue: QueueDefinition<ProbeJobDto>) {
  @Injectable()
  @JobProcessor(queue)
  class PolicyProcessor {
    readonly instance = randomUUID();
    private readonly logger = new Logger(`${queue.name}Processor`);

    async process(job: ProcessedJob<ProbeJobDto>): Promise<void> {
      const key = `${queue.name}:${this.instance}`;
      const counter = running.get(key) ?? { now: 0, most: 0 };
      running.set(key, counter);
      counter.now += 1;
      counter.most = Math.max(counter.most, counter.now);
      try {
        await work(job, this.instance, this.logger);
      } finally {
        counter.now -= 1;
      }
    }
  }
  Object.defineProperty(PolicyProcessor, 'name', { value: `${queue.name}PolicyProcessor` });
  return PolicyProcessor;
}

export const PolicyProcessors = Object.fromEntries(Object.values(QUEUES).map((queue) => [queue.name, processorFor(queue)]));

/** Test-only public route that adds a job to one of the queues above. */
@Public()
@Controller('jobs-policy')
class JobsPolicyTestController {
  constructor(
    @InjectJobQueue(BoundedQueue) private readonly bounded: JobQueue<ProbeJobDto>,
    @InjectJobQueue(LimitedQueue) private readonly limited: JobQueue<ProbeJobDto>,
    @InjectJobQueue(KeptQueue) private readonly kept: JobQueue<ProbeJobDto>,
    @InjectJobQueue(LongQueue) private readonly long: JobQueue<ProbeJobDto>,
  ) {}

  @Post(':queue')
  @PublicWrite('a test route that adds a job')
  async add(@Param('queue') queue: string, @Body() body: Record<string, unknown>): Promise<{ id: string }> {
    const target = { bounded: this.bounded, limited: this.limited, kept: this.kept, long: this.long }[queue];
    if (!target) throw new NotFoundException(`no queue ${queue}`);
    return { id: await target.add(body as unknown as ProbeJobDto) };
  }
}

/** The policy queues, their processors and the route. */
@Module({
  imports: [JobsModule.forFeature(Object.values(QUEUES))],
  controllers: [JobsPolicyTestController],
  providers: Object.values(PolicyProcessors),
})
export class JobsPolicyTestModule {}
