import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { HealthCheckRegistry } from '../health/health-check.registry';
import { storedPayload, validatedPayload } from './job-payload';
import { JOB_PROCESSOR, type JobHandler } from './job-processor.decorator';
import { JobRunner } from './job-runner';
import { JobsEngine } from './jobs.engine';
import { settlesWithin } from './settles-within';
import { isDatabaseBacked, JobsRegistry } from './jobs.registry';
import type { QueueDefinition } from './queue-definition';
import { queueSettings } from './queue-settings';
import { JOB_SCHEDULES } from './schedule.decorator';
import type { ScheduleOptions } from './schedule-options';

/** How long the shutdown waits for the queue store's PING before treating it as unreachable, in milliseconds. */
const STORE_PING_BOUND_MS = 1000;

/** An engine that can close without waiting for its store (BullMQ's). */
interface ForceClosable {
  forceClose(): Promise<void>;
}

/** The boot warning without `REDIS_URL` (tests and runbooks match it). */
export const IN_PROCESS_WARNING = 'Jobs run in-process (no REDIS_URL): not durable, jobs not yet completed are lost when the process exits';

/**
 * The workers' lifecycle:
 *
 * - at boot, finds the `@JobProcessor()` providers and, when `PROCESS_ROLE`
 *   runs workers (`all`, `worker`), starts one worker per queue and declares
 *   the queues' schedules; registers the `jobs` readiness check on Redis
 *   when a queue other than the database-backed ones is declared;
 * - at shutdown (before the HTTP server and the connections close), stops
 *   taking jobs and waits for the active ones; past half of
 *   `SHUTDOWN_TIMEOUT_SECONDS` their abort signals fire and the close is no
 *   longer waited for. On Redis, when Redis does not answer a PING at
 *   shutdown, workers and queues are closed by force at once (BullMQ's close
 *   would wait for Redis for ever; active jobs are retried elsewhere).
 */
@Injectable()
export class JobWorkers implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly engine: JobsEngine,
    private readonly queues: JobsRegistry,
    private readonly runner: JobRunner,
    private readonly discovery: DiscoveryService,
    private readonly health: HealthCheckRegistry,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    // The database-backed queues (domain events) need no Redis to accept work: they alone add no check.
    if (this.engine.kind !== 'redis' || this.queues.all().every(isDatabaseBacked)) return;
    this.health.addReadinessCheck({
      name: 'jobs',
      critical: this.config.jobs.critical,
      check: async () => {
        const session = this.indicator.check('jobs');
        await this.engine.ping();
        return session.up();
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const processors = this.processors();
    if (this.engine.kind === 'in-process' && (this.queues.all().length > 0 || processors.length > 0)) this.logger.warn(IN_PROCESS_WARNING);
    if (this.config.jobs.role === 'api') return;
    for (const { queue, instance } of processors) {
      const settings = queueSettings(queue, this.config);
      await this.engine.work(settings, this.runner.handlerFor(queue, instance, settings));
      for (const schedule of [...queue.schedules, ...schedulesOf(instance)]) {
        const payload = storedPayload(validatedPayload(queue, schedule.payload ?? {}));
        await this.engine.schedule(settings, schedule, { payload, origin: {} });
      }
    }
    (this.engine as { start?: () => void }).start?.();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const boundMs = (this.config.shutdown.timeoutSeconds * 1000) / 2;
    if (this.engine.kind === 'redis' && !(await this.storeAnswers())) return this.dropWorkers(boundMs);
    const abort = setTimeout(() => this.runner.abortAll(), boundMs);
    abort.unref();
    const closed = this.engine.closeWorkers();
    try {
      if (await settlesWithin(closed, boundMs)) return await closed;
      this.logger.warn({ boundSeconds: boundMs / 1000 }, 'Job workers did not close in time; not waiting any longer');
    } finally {
      clearTimeout(abort);
    }
  }

  /** True when the queue store answers a PING within {@link STORE_PING_BOUND_MS}. */
  private async storeAnswers(): Promise<boolean> {
    let answered = false;
    await settlesWithin(
      this.engine.ping().then(() => (answered = true)),
      STORE_PING_BOUND_MS,
    );
    return answered;
  }

  /**
   * Redis unreachable at shutdown: BullMQ's close would wait for it (for
   * ever). Active attempts are aborted and the workers and queues closed by
   * force; the active jobs are retried elsewhere once their lock expires.
   */
  private async dropWorkers(boundMs: number): Promise<void> {
    this.logger.warn('Redis does not answer at shutdown: job workers and queues close without waiting (active jobs are retried elsewhere)');
    this.runner.abortAll();
    await settlesWithin((this.engine as Partial<ForceClosable>).forceClose?.() ?? Promise.resolve(), boundMs);
  }

  private processors(): { queue: QueueDefinition; instance: JobHandler<object> }[] {
    const found = new Map<string, { queue: QueueDefinition; instance: JobHandler<object> }>();
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype && !wrapper.inject ? wrapper.metatype : (wrapper.instance as object | undefined)?.constructor;
      const queue = type ? (Reflect.getMetadata(JOB_PROCESSOR, type) as QueueDefinition | undefined) : undefined;
      if (!queue || !wrapper.instance) continue;
      if (found.has(queue.name) && found.get(queue.name)!.instance !== wrapper.instance) {
        throw new Error(`queue "${queue.name}" has two @JobProcessor() classes`);
      }
      this.queues.declare(queue);
      found.set(queue.name, { queue, instance: wrapper.instance as JobHandler<object> });
    }
    return [...found.values()];
  }
}

function schedulesOf(instance: object): ScheduleOptions[] {
  return (Reflect.getMetadata(JOB_SCHEDULES, instance.constructor) as ScheduleOptions[] | undefined) ?? [];
}
