import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { ConfigValidationError } from '../config/config.error';
import type { QueueDefinition } from './queue-definition';

/** Queues whose jobs are re-created from the database (the outbox's): see {@link markDatabaseBacked}. */
const databaseBacked = new WeakSet<QueueDefinition>();

/**
 * Marks a queue whose jobs are re-created from the database until done (the
 * domain events' outbox, src/core/events): none is lost without Redis, so
 * production allows it in-process, and an unreachable Redis only delays it,
 * so it adds no `jobs` readiness check.
 */
export function markDatabaseBacked(queue: QueueDefinition): void {
  databaseBacked.add(queue);
}

/** True for a queue marked by {@link markDatabaseBacked}. */
export function isDatabaseBacked(queue: QueueDefinition): boolean {
  return databaseBacked.has(queue);
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
    if (this.config.app.env === 'production' && !this.config.redis.url && !databaseBacked.has(queue)) {
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
