import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { Body, Controller, Get, HttpCode, Injectable, Logger, Module, Param, Post } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  defineQueue,
  InjectJobQueue,
  JobProcessor,
  JobQueue,
  JobsModule,
  Public,
  PublicWrite,
  Schedule,
  type ProcessedJob,
} from '../../../src/core';

/** The payload of the test queues. */
export class ProbeJobDto {
  /** Names the job in {@link jobRuns}. */
  @IsString()
  @MaxLength(100)
  label!: string;

  /** The first `failTimes` attempts throw. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  failTimes?: number;

  /** Each attempt takes this long (milliseconds); `ignore-signal` keeps going after an abort. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  workMs?: number;

  @IsOptional()
  @IsIn(['honour-signal', 'ignore-signal'])
  signal?: 'honour-signal' | 'ignore-signal';
}

/** One attempt seen by a processor (shared by every app of the test process). */
export interface JobRun {
  label: string;
  jobId: string;
  attempt: number;
  /** Which processor instance (which app) ran it. */
  instance: string;
  startedAt: number;
  finishedAt?: number;
  outcome?: 'completed' | 'failed' | 'aborted';
}

/** Every attempt run in this test process, in start order. */
export const jobRuns: JobRun[] = [];

/** Attempts of `label`, in order. */
export function runsOf(label: string): JobRun[] {
  return jobRuns.filter((run) => run.label === label);
}

export const ProbeQueue = defineQueue({
  name: 'probe',
  payload: ProbeJobDto,
  defaults: { attempts: 3, backoffSeconds: 0.4, timeoutSeconds: 10, concurrency: 2 },
});

export const TickQueue = defineQueue({ name: 'tick', payload: ProbeJobDto, defaults: { attempts: 2, backoffSeconds: 0.2 } });

/** What every test processor does: records the attempt in {@link jobRuns}, works `workMs`, fails the first `failTimes` attempts. */
export async function work(job: ProcessedJob<ProbeJobDto>, instance: string, logger: Logger): Promise<void> {
  const run: JobRun = { label: job.payload.label, jobId: job.id, attempt: job.attempt, instance, startedAt: Date.now() };
  jobRuns.push(run);
  logger.log({ label: job.payload.label }, 'probe job running');
  try {
    if (job.payload.workMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, job.payload.workMs);
        if (job.payload.signal === 'honour-signal') {
          job.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            run.outcome = 'aborted';
            reject(new Error('aborted'));
          });
        }
      });
    }
    if (job.attempt <= (job.payload.failTimes ?? 0)) throw new Error(`planned failure ${job.attempt}`);
    run.outcome = 'completed';
  } catch (error) {
    run.outcome ??= 'failed';
    throw error;
  } finally {
    run.finishedAt = Date.now();
  }
}

@Injectable()
@JobProcessor(ProbeQueue)
export class ProbeProcessor {
  readonly instance = randomUUID();
  private readonly logger = new Logger('ProbeProcessor');

  process(job: ProcessedJob<ProbeJobDto>): Promise<void> {
    return work(job, this.instance, this.logger);
  }
}

@Injectable()
@Schedule({ name: 'every-second', everySeconds: 1, payload: { label: 'tick' } })
@JobProcessor(TickQueue)
export class TickProcessor {
  readonly instance = randomUUID();
  private readonly logger = new Logger('TickProcessor');

  process(job: ProcessedJob<ProbeJobDto>): Promise<void> {
    return work(job, this.instance, this.logger);
  }
}

/** Test-only public routes that add jobs and read the failed set. */
@Public()
@Controller('jobs-test')
class JobsTestController {
  constructor(@InjectJobQueue(ProbeQueue) private readonly queue: JobQueue<ProbeJobDto>) {}

  /** Adds the body as it is: the queue, not the route, validates it. */
  @Post('probe')
  @PublicWrite('a test route that adds a job')
  async add(@Body() body: Record<string, unknown>): Promise<{ id: string }> {
    return { id: await this.queue.add(body as unknown as ProbeJobDto) };
  }

  /** Adds the job inside a span of its own, standing for the request's span (no HTTP instrumentation in-process). */
  @Post('probe-traced')
  @PublicWrite('a test route that adds a job inside a span')
  addTraced(@Body() body: Record<string, unknown>): Promise<{ id: string; traceId: string; spanId: string }> {
    return trace.getTracer('jobs-test').startActiveSpan('enqueue', async (span) => {
      try {
        const id = await this.queue.add(body as unknown as ProbeJobDto);
        return { id, traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      } finally {
        span.end();
      }
    });
  }

  @Get('failed')
  failed(): Promise<unknown> {
    return this.queue.failed();
  }

  @Post('failed/:id/retry')
  @HttpCode(200)
  @PublicWrite('a test route that retries a failed job')
  async retry(@Param('id') id: string): Promise<{ retried: boolean }> {
    return { retried: await this.queue.retry(id) };
  }
}

/** The probe queue, its processor and the routes. */
@Module({ imports: [JobsModule.forFeature([ProbeQueue])], controllers: [JobsTestController], providers: [ProbeProcessor] })
export class JobsTestModule {}

/** A queue with a schedule every second. */
@Module({ imports: [JobsModule.forFeature([TickQueue])], providers: [TickProcessor] })
export class TickJobsTestModule {}
