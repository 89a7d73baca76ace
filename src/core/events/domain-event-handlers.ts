import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { DataSource, type EntityManager } from 'typeorm';
import { insertRow } from '../database/row-insert';
import type { DomainEvent } from './domain-event';
import { DOMAIN_EVENT_HANDLER } from './on-domain-event.decorator';
import { ProcessedEvent } from './processed-event.entity';
import { isUniqueViolation } from './unique-violation';

/** One `@OnDomainEvent()` method. */
interface Handler {
  name: string;
  call(event: DomainEvent, manager: EntityManager): Promise<void> | void;
}

/** Thrown inside a handler's transaction when its inbox already holds the event: rolls the transaction back. */
class AlreadyProcessed extends Error {}

/**
 * The app's `@OnDomainEvent()` handlers by event type, found at boot, and
 * the inbox around each call: the `processed_events` row (event id, handler)
 * is inserted first in the handler's transaction; when it exists (a second
 * delivery, or a concurrent one that committed first: PostgreSQL makes the
 * insert wait for it) the handler is skipped.
 */
@Injectable()
export class DomainEventHandlers implements OnApplicationBootstrap {
  private readonly logger = new Logger('DomainEvents');
  private readonly byType = new Map<string, Handler[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const types = Reflect.getMetadata(DOMAIN_EVENT_HANDLER, prototype, method) as string[] | undefined;
        if (!types) continue;
        const handler: Handler = {
          name: `${instance.constructor.name}.${method}`,
          call: (event, manager) => (instance[method] as Handler['call']).call(instance, event, manager),
        };
        for (const type of types) this.byType.set(type, [...(this.byType.get(type) ?? []), handler]);
      }
    }
  }

  /** True when some handler of this app handles `type`. */
  handles(type: string): boolean {
    return this.byType.has(type);
  }

  /**
   * Runs every handler of the event's type, each in its own transaction with
   * its inbox row; the ones that already committed for this event id are skipped.
   * @throws the first handler's error (the others still ran); the delivery is then retried.
   */
  async dispatch(event: DomainEvent): Promise<void> {
    const failures: unknown[] = [];
    for (const handler of this.byType.get(event.type) ?? []) {
      await this.runOnce(handler, event).catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw failures[0];
  }

  private async runOnce(handler: Handler, event: DomainEvent): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        try {
          await insertRow(manager, ProcessedEvent, { eventId: event.id, handler: handler.name, processedAt: new Date() });
        } catch (error) {
          throw isUniqueViolation(error) ? new AlreadyProcessed() : error;
        }
        await handler.call(event, manager);
      });
    } catch (error) {
      if (!(error instanceof AlreadyProcessed)) throw error;
      this.logger.log(
        { eventId: event.id, type: event.type, handler: handler.name },
        'Domain event already processed by this handler; skipped',
      );
    }
  }
}
