import { type DynamicModule, type FactoryProvider, Module, type Provider } from '@nestjs/common';
import { DependencyBreakers } from '../circuit-breaker/dependency-breakers';
import { DiscoveryModule, LazyModuleLoader, ModuleRef } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { JobQueue, jobQueueToken } from './job-queue';
import { JobRunner } from './job-runner';
import { JobWorkers } from './job-workers';
import { JobsEngine } from './jobs.engine';
import { JobsMetrics } from './jobs.metrics';
import { JobsRegistry } from './jobs.registry';
import type { QueueWorkerHost } from './bullmq/queue-worker-host';
import type { QueueDefinition } from './queue-definition';
import { queueSettings } from './queue-settings';

/**
 * Background jobs and schedules (docs/jobs.md). `forRoot` (CoreModule) picks
 * the engine: BullMQ through @nestjs/bullmq with `REDIS_URL`, the in-process
 * engine without. A feature imports `JobsModule.forFeature([queue])` for each
 * queue it adds to or processes.
 *
 * @nestjs/bullmq and BullMQ are loaded only when `REDIS_URL` is set: the
 * zero-infrastructure start never needs them (cold start, docs/performance.md#cold-start).
 */
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: JobsModule,
      global: true,
      imports: [DiscoveryModule, ...(config.redis.url ? bullImports() : [])],
      providers: [engineProvider(config), JobsRegistry, JobsMetrics, JobRunner, JobWorkers],
      exports: [JobsEngine, JobsRegistry],
    };
  }

  /**
   * Makes the queues' {@link JobQueue}s injectable in the importing module
   * (`@InjectJobQueue(queue)`), and, on Redis, their @nestjs/bullmq worker hosts.
   */
  static forFeature(queues: QueueDefinition[]): DynamicModule {
    const providers: Provider[] = queues.flatMap((queue) => [queueProvider(queue), workerHostProvider(queue)]);
    return {
      module: JobsModule,
      providers,
      exports: queues.map(jobQueueToken),
    };
  }
}

function queueProvider(queue: QueueDefinition): FactoryProvider<JobQueue<object>> {
  return {
    provide: jobQueueToken(queue),
    inject: [APP_CONFIG, JobsEngine, JobsRegistry],
    useFactory: (config: AppConfig, engine: JobsEngine, registry: JobsRegistry) => {
      registry.declare(queue);
      return new JobQueue(queue, queueSettings(queue, config), engine);
    },
  };
}

/**
 * On Redis, the queue's @nestjs/bullmq worker host (a factory provider: @nestjs/bullmq's
 * explorer finds it by its instance's class); without Redis, nothing (`null`), and
 * @nestjs/bullmq is never loaded.
 */
function workerHostProvider(queue: QueueDefinition): FactoryProvider<QueueWorkerHost | null> {
  return {
    provide: Symbol(`${queue.name}QueueWorkerHost`),
    inject: [APP_CONFIG, JobsEngine],
    useFactory: (config: AppConfig, engine: JobsEngine) => {
      if (!config.redis.url) return null;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { queueWorkerHost } = require('./bullmq/queue-worker-host') as typeof import('./bullmq/queue-worker-host');
      return new (queueWorkerHost(queue))(engine);
    },
  };
}

function engineProvider(config: AppConfig): FactoryProvider<JobsEngine> {
  return {
    provide: JobsEngine,
    inject: [LazyModuleLoader, ModuleRef, APP_CONFIG, DependencyBreakers],
    useFactory: (loader: LazyModuleLoader, moduleRef: ModuleRef, config: AppConfig, breakers: DependencyBreakers): JobsEngine => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      if (!config.redis.url)
        return new (require('./in-process/in-process.engine') as typeof import('./in-process/in-process.engine')).InProcessEngine();
      const { BullMqEngine } = require('./bullmq/bullmq.engine') as typeof import('./bullmq/bullmq.engine');
      const { BullRegistrar } = require('@nestjs/bullmq') as typeof import('@nestjs/bullmq');
      /* eslint-enable @typescript-eslint/no-require-imports */
      return new BullMqEngine(loader, () => moduleRef.get(BullRegistrar, { strict: false }), {
        worker: {
          lockDuration: Math.round(config.jobs.lockDurationSeconds * 1000),
          stalledInterval: Math.round(config.jobs.stalledIntervalSeconds * 1000),
        },
        addTimeoutMs: config.jobs.addTimeoutSeconds * 1000,
        closeBoundMs: (config.shutdown.timeoutSeconds * 1000) / 2,
        redisBreaker: breakers.for('redis'),
      });
    },
  };
}

/** @nestjs/bullmq's root configuration (the chassis's `REDIS_URL` and key prefix) and its explorer, with manual worker registration. */
function bullImports(): DynamicModule[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { BullModule } = require('@nestjs/bullmq') as typeof import('@nestjs/bullmq');
  return [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.redis.url, connectTimeout: config.redis.connectTimeoutSeconds * 1000 },
        prefix: config.jobs.keyPrefix,
      }),
      extraOptions: { manualRegistration: true },
    }),
    // No queue: imports @nestjs/bullmq's explorer and registrar; queues are registered when first used.
    BullModule.registerQueue(),
  ];
}
