import { Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type DomainEvent, OnDomainEvent } from '../../../src/core';

/** Records each call of its handler: how many times each event id reached it, and in which tenant. */
@Injectable()
export class ProbeEventHandler {
  readonly calls: { id: string; tenantId?: string; payload: object }[] = [];
  /** Event ids whose handler call throws (its transaction rolls back), once each. */
  readonly failOnce = new Set<string>();
  /** Event ids whose handler call throws as long as they are in the set (the event stays pending, retried). */
  readonly failWhile = new Set<string>();

  @OnDomainEvent('probe.happened')
  async handle(event: DomainEvent<{ n: number }>, manager: EntityManager): Promise<void> {
    await manager.query('SELECT 1');
    if (this.failOnce.delete(event.id)) throw new Error('probe handler failure');
    if (this.failWhile.has(event.id)) throw new Error('probe handler failure');
    this.calls.push({ id: event.id, tenantId: event.tenantId, payload: event.payload });
  }

  count(id: string): number {
    return this.calls.filter((call) => call.id === id).length;
  }
}

/** A test-only module with a domain event handler (never in src). */
@Module({ providers: [ProbeEventHandler] })
export class EventsTestModule {}

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes; resolves to its last answer. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 1000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
