import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { ConfigValidationError } from '../config/config.error';
import type { QueueDefinition } from './queue-definition';

/** Queues whose jobs are re-created from a durable store after a restart (the outbox's): production allows them without Redis. */
const rebuiltAfterRestart = new WeakSet<QueueDefinition>();

/**
 * Lets `queue` run in-process in production: for a queue whose jobs are
 * re-created from a durable store after a restart (the domain events' outbox,
 * src/core/events), so none is lost without Redis.
 */
export function allowInProcessInProduction(queue: QueueDefinition): void {
  rebuiltAfterRestart.add(queue);
}

/** The queues declared in this app (by `JobsModule.forFeature()`), by name. */
@Injectable()
export class JobsRegistry {
  private readonly queues = new Map<string, QueueDefinition>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * Records a declared queue.
   *
   * @throws ConfigValidationError in production without `REDIS_URL`: in-process jobs would be lost at every restart.
   * @throws Error when another declaration has the same name.
   */
  declare(queue: QueueDefinition): void {
    if (this.config.app.env === 'production' && !this.config.redis.url && !rebuiltAfterRestart.has(queue)) {
      throw new ConfigValidationError([
        `REDIS_URL: queue "${queue.name}" is declared and NODE_ENV=production needs durable jobs; set REDIS_URL (without it jobs run in-process and are lost on restart)`,
      ]);
    }
    const existing = this.queues.get(queue.name);
    if (existing && existing !== queue) throw new Error(`queue "${queue.name}" is declared twice`);
    this.queues.set(queue.name, queue);
  }

  /** Every declared queue. */
  all(): QueueDefinition[] {
    return [...this.queues.values()];
  }
}
