import { performance } from 'node:perf_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { PinoLogger } from 'nestjs-pino';
import { withTimeout } from '../async/with-timeout';
import { runInRequestContext } from '../context/request-context';
import { markRequestBound } from '../logging/request-bound';
import { envelopeOf, type JobOrigin } from './job-envelope';
import { jobRequestContext } from './job-request-context';
import { validatedPayload } from './job-payload';
import type { JobHandler } from './job-processor.decorator';
import { JobTimeoutError } from './job-timeout.error';
import { isUnrecoverable, unrecoverable } from './unrecoverable';
import type { AttemptHandler, EngineJob } from './jobs.engine';
import { JobsMetrics, type AttemptStatus } from './jobs.metrics';
import type { QueueDefinition } from './queue-definition';
import type { QueueSettings } from './queue-settings';

const tracer = trace.getTracer('nest-chassis.jobs');

/**
 * Runs one attempt of a job for either engine, the way a request is served:
 *
 * - the payload is validated again (a stored payload that no longer fits
 *   fails the job at once, without retry: BullMQ's `UnrecoverableError`);
 * - every line logged meanwhile (Nest's `Logger`, `PinoLogger`) carries
 *   `jobId`, `queue`, `attempt` and the enqueuing request's `requestId` and
 *   `correlationId` (nestjs-pino's `runInContext`, on the root logger), and
 *   `tenant_id` when the enqueuing request had a tenant;
 * - the enqueuing request's tenant and subject are current again
 *   ({@link jobRequestContext}): tenant-scoped queries see that tenant;
 * - a `job <queue>` span (consumer) is the child of the span that added the job,
 *   with `tenant.id` when it has a tenant;
 * - the processor gets an abort signal, aborted at the time limit (the attempt
 *   then fails) or by {@link abortAll} at shutdown;
 * - the outcome is logged and counted (`JobsMetrics`).
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('Jobs');
  private readonly active = new Set<AbortController>();

  constructor(
    private readonly pino: PinoLogger,
    private readonly metrics: JobsMetrics,
  ) {}

  /** The engine's handler for a queue and its processor. */
  handlerFor<T extends object>(queue: QueueDefinition<T>, processor: JobHandler<T>, settings: QueueSettings): AttemptHandler {
    return (job) => this.run(queue, processor, settings, job);
  }

  /** Aborts the signal of every running attempt (shutdown). */
  abortAll(): void {
    for (const controller of this.active) controller.abort(new Error('shutting down'));
  }

  private run<T extends object>(
    queue: QueueDefinition<T>,
    processor: JobHandler<T>,
    settings: QueueSettings,
    job: EngineJob,
  ): Promise<void> {
    const { payload, origin } = envelopeOf(job.data);
    const attempt = job.attemptsMade + 1;
    const bindings = { queue: queue.name, jobId: job.id, attempt, ...idsOf(origin) };
    const parent = propagation.extract(ROOT_CONTEXT, { traceparent: origin.traceparent, tracestate: origin.tracestate });
    const attributes: Record<string, string> = {
      'messaging.system': 'bullmq',
      'messaging.destination.name': queue.name,
      'messaging.message.id': job.id,
    };
    if (origin.tenantId !== undefined) attributes['tenant.id'] = origin.tenantId;
    const controller = new AbortController();
    const request = jobRequestContext(origin, job.id, controller.signal);
    const inRequest = <R>(fn: () => R): R => (request ? runInRequestContext(request, fn) : fn());
    return this.pino.runInContext(
      () =>
        context.with(parent, () =>
          inRequest(() =>
            tracer.startActiveSpan(`job ${queue.name}`, { kind: SpanKind.CONSUMER, attributes }, async (span) => {
              // The bindings carry the ids: the root logger's mixin adds only the tenant (and trace) from the context.
              markRequestBound(this.pino.logger);
              const started = performance.now();
              try {
                const valid = this.payloadOrUnrecoverable(queue, payload);
                await this.attempt(settings, controller, (signal) =>
                  processor.process({ id: job.id, queue: queue.name, attempt, payload: valid, signal }),
                );
                this.ended(queue, 'completed', started);
                span.end();
              } catch (error) {
                const retried = attempt < job.attempts && !isUnrecoverable(error);
                this.ended(queue, retried ? 'retried' : 'failed', started, error);
                span.recordException(error as Error);
                span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
                span.end();
                throw error;
              }
            }),
          ),
        ),
      { bindings },
    );
  }

  private payloadOrUnrecoverable<T extends object>(queue: QueueDefinition<T>, payload: unknown): T {
    try {
      return validatedPayload(queue, payload);
    } catch (error) {
      throw unrecoverable((error as Error).message);
    }
  }

  /** Runs the processor under the time limit (the chassis's `withTimeout`), with its signal, aborted when the limit passes. */
  private async attempt(
    settings: QueueSettings,
    controller: AbortController,
    work: (signal: AbortSignal) => Promise<void> | void,
  ): Promise<void> {
    this.active.add(controller);
    const timedOut = () => {
      const error = new JobTimeoutError(settings.name, settings.timeoutSeconds);
      controller.abort(error);
      return error;
    };
    try {
      await withTimeout(
        Promise.resolve().then(() => work(controller.signal)),
        settings.timeoutSeconds * 1000,
        timedOut,
      );
    } finally {
      this.active.delete(controller);
    }
  }

  private ended(queue: QueueDefinition, status: AttemptStatus, started: number, error?: unknown): void {
    const seconds = (performance.now() - started) / 1000;
    this.metrics.attemptEnded(queue.name, status, seconds);
    const durationMs = Math.round(seconds * 1000);
    if (status === 'completed' && queue.defaults.logCompleted === false) this.logger.debug({ status, durationMs }, 'Job completed');
    else if (status === 'completed') this.logger.log({ status, durationMs }, 'Job completed');
    else
      this.logger.warn({ status, durationMs, err: error }, status === 'retried' ? 'Job attempt failed; it will be retried' : 'Job failed');
  }
}

function idsOf(origin: JobOrigin): { requestId?: string; correlationId?: string } {
  const ids: { requestId?: string; correlationId?: string } = {};
  if (origin.requestId) ids.requestId = origin.requestId;
  if (origin.correlationId) ids.correlationId = origin.correlationId;
  return ids;
}
