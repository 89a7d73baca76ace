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
import { JobsRegistry } from './jobs.registry';
import type { QueueDefinition } from './queue-definition';
import { queueSettings } from './queue-settings';
import { JOB_SCHEDULES } from './schedule.decorator';
import type { ScheduleOptions } from './schedule-options';

/** The boot warning without `REDIS_URL` (tests and runbooks match it). */
export const IN_PROCESS_WARNING = 'Jobs run in-process (no REDIS_URL): not durable, jobs not yet completed are lost when the process exits';

/**
 * The workers' lifecycle:
 *
 * - at boot, finds the `@JobProcessor()` providers and, when `PROCESS_ROLE`
 *   runs workers (`all`, `worker`), starts one worker per queue and declares
 *   the queues' schedules; registers the `jobs` readiness check on Redis;
 * - at shutdown (before the HTTP server and the connections close), stops
 *   taking jobs and waits for the active ones; past half of
 *   `SHUTDOWN_TIMEOUT_SECONDS` their abort signals fire.
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
    if (this.engine.kind !== 'redis' || this.queues.all().length === 0) return;
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
    const abort = setTimeout(() => this.runner.abortAll(), (this.config.shutdown.timeoutSeconds * 1000) / 2);
    abort.unref();
    try {
      await this.engine.closeWorkers();
    } finally {
      clearTimeout(abort);
    }
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
