import { Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Public, PublicWrite, RequestSignal } from '../../src/core';
import { Item } from '../../src/features/items/entities/item.entity';
import type { LogCapture } from './log-capture';

/** How each handler run ended, by key: `committed`, `returned`, or the name of what it threw. */
const outcomes = new Map<string, Promise<string>>();

/** The outcome of the handler run named `key`, once it has started (within 5 s) and ended, whatever the client was told. */
export async function handlerOutcome(key: string): Promise<string> {
  for (let waited = 0; !outcomes.has(key) && waited < 5000; waited += 20) await sleep(20);
  const outcome = outcomes.get(key);
  if (!outcome) throw new Error(`no handler run named ${key}`);
  return outcome;
}

/**
 * Handlers that ignore the request's signal and keep working past the
 * request deadline, as feature code does: the chassis must stop their
 * database work and drop their late result quietly. Test-only.
 */
@Public()
@Controller('abandoned-work')
export class AbandonedWorkController {
  constructor(private readonly dataSource: DataSource) {}

  /** Opens a transaction, waits `waitMs` (past the deadline), then inserts and commits. */
  @Post(':sku')
  @PublicWrite('a test route: writes after the request deadline')
  async insertLate(@Param('sku') sku: string, @Query('waitMs') waitMs = '1500'): Promise<{ sku: string }> {
    let failure: unknown;
    const outcome = this.dataSource
      .transaction(async (manager) => {
        await manager.getRepository(Item).count();
        await sleep(Number(waitMs));
        await manager
          .getRepository(Item)
          .insert({ sku, name: sku, ownerId: 'abandoned', priceCents: 1, currency: 'EUR', description: null });
      })
      .then(
        () => 'committed',
        (error: unknown) => {
          failure = error;
          return error instanceof Error ? error.name : String(error);
        },
      );
    outcomes.set(sku, outcome);
    await outcome;
    if (failure !== undefined) throw failure;
    return { sku };
  }

  /** Returns a result long after the deadline, with no database work. */
  @Get('late/:key')
  async returnLate(@Param('key') key: string, @Query('waitMs') waitMs = '1500'): Promise<{ late: true }> {
    const outcome = sleep(Number(waitMs)).then(() => 'returned');
    outcomes.set(key, outcome);
    await outcome;
    return { late: true };
  }

  /** Waits for the signal `@RequestSignal()` hands it (bounded at 10 s). */
  @Get('signal/:key')
  async awaitSignal(@Param('key') key: string, @RequestSignal() signal: AbortSignal): Promise<{ aborted: boolean }> {
    const outcome = Promise.race([
      new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true })),
      sleep(10_000).then(() => 'not aborted'),
    ]);
    outcomes.set(key, outcome);
    return { aborted: (await outcome) === 'aborted' };
  }

  /** Stuck in the database (PostgreSQL): a query that would run for 30 s. */
  @Get('pg-sleep/:key')
  async pgSleep(@Param('key') key: string): Promise<unknown> {
    let failure: unknown;
    const outcome = this.dataSource.query('SELECT pg_sleep(30)').then(
      () => 'returned',
      (error: unknown) => {
        failure = error;
        return error instanceof Error ? error.name : String(error);
      },
    );
    outcomes.set(key, outcome);
    await outcome;
    if (failure !== undefined) throw failure;
    return { slept: true };
  }
}

/** Registers {@link AbandonedWorkController} (`bootTestApp(env, { after: [AbandonedWorkModule] })`). */
@Module({ controllers: [AbandonedWorkController] })
export class AbandonedWorkModule {}

/** Lines (from index `from`) a late, abandoned handler must not cause: Fastify's double-reply warning, or any error line. */
export function abandonmentNoise(logs: LogCapture, from = 0): Record<string, unknown>[] {
  return logs.lines
    .slice(from)
    .filter((line) => JSON.stringify(line).includes('Reply was already sent') || ['error', 'fatal'].includes(String(line.level)));
}
