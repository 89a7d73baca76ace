import { Controller, Module, Param, Post, Query } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Item } from '../../src/features/items/entities/item.entity';
import { testDatabaseUrl } from '../support/test-database';
import { bootTestApp, type TestApp } from '../support/test-app';

/** A unit of work a feature could write: insert, wait on something (an await), then commit or fail. */
@Controller('test-transactions')
class TransactionController {
  constructor(private readonly dataSource: DataSource) {}

  @Post(':sku')
  async run(@Param('sku') sku: string, @Query('fail') fail?: string, @Query('waitMs') waitMs = '20'): Promise<{ sku: string }> {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Item).insert({ sku, name: sku, ownerId: 'tx', priceCents: 1, currency: 'EUR', description: null });
      await sleep(Number(waitMs));
      if (fail === 'true') throw new Error(`rolled back on purpose: ${sku}`);
    });
    return { sku };
  }
}

@Module({ controllers: [TransactionController] })
class TransactionModule {}

/**
 * Concurrent requests each with its own transaction, interleaved across
 * awaits, on the zero-infrastructure default (SQLite, one connection per
 * process): a rollback undoes its own writes only, a commit commits its own
 * only, and a plain write outside any transaction is never swept into one.
 */
describe('concurrent transactions are isolated (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({}, { after: [TransactionModule] });
  });
  afterAll(async () => t.close());

  const skus = async () =>
    (
      await t.app
        .get(DataSource)
        .getRepository(Item)
        .find({ where: { ownerId: 'tx' } })
    )
      .map((item) => item.sku)
      .sort();

  it('eight interleaved transactions: the four that fail roll back alone, the four that commit keep their rows', async () => {
    const runs = Array.from({ length: 8 }, (_, i) => ({ sku: `tx-${i}`, fail: i % 2 === 0, waitMs: 10 + ((i * 7) % 5) * 10 }));
    const responses = await Promise.all(
      runs.map((run) =>
        t.app.inject({
          method: 'POST',
          url: `/test-transactions/${run.sku}?fail=${run.fail}&waitMs=${run.waitMs}`,
          headers: t.authHeader(),
        }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(runs.map((run) => (run.fail ? 500 : 201)));
    expect(await skus()).toEqual(runs.filter((run) => !run.fail).map((run) => run.sku));
  });

  it('a write outside any transaction while one is open is not rolled back with it', async () => {
    const failing = t.app.inject({ method: 'POST', url: '/test-transactions/tx-open?fail=true&waitMs=100', headers: t.authHeader() });
    await sleep(30); // the transaction is open and waiting
    const headers = { ...t.authHeader({ sub: 'tx', scope: 'items:read items:write' }) };
    const outside = await t.app.inject({
      method: 'POST',
      url: '/items',
      headers,
      payload: { sku: 'outside-1', name: 'Outside', priceCents: 1, currency: 'EUR' },
    });
    expect(outside.statusCode).toBe(201);
    expect((await failing).statusCode).toBe(500);
    expect(await skus()).toContain('outside-1');
    expect(await skus()).not.toContain('tx-open');
  });

  describe('a transaction held past the busy timeout (DATABASE_CONNECT_TIMEOUT_SECONDS)', () => {
    let slow: TestApp;
    beforeAll(async () => {
      slow = await bootTestApp({ DATABASE_CONNECT_TIMEOUT_SECONDS: '1' }, { after: [TransactionModule] });
    });
    afterAll(async () => slow.close());

    // SQLite (one connection per process): the read waits for the transaction, and past the bound it is a 503.
    // PostgreSQL (the integration run of this suite): a read never waits for another transaction (MVCC).
    const onSqlite = !testDatabaseUrl().startsWith('postgres');

    it(
      onSqlite
        ? 'makes a query that waits for it a 503 database-unavailable, not a wait for ever'
        : 'on PostgreSQL, does not hold a read at all (MVCC): 200 while the transaction is open',
      async () => {
        const holding = slow.app.inject({ method: 'POST', url: '/test-transactions/held?waitMs=1800', headers: slow.authHeader() });
        await sleep(30);
        const waiting = await slow.app.inject({ method: 'GET', url: '/items', headers: slow.authHeader({ scope: 'items:read' }) });
        if (onSqlite) {
          expect(waiting.statusCode).toBe(503);
          expect(waiting.json().type).toBe('tag:nest-chassis,2026:problems/database-unavailable');
        } else {
          expect(waiting.statusCode).toBe(200);
        }
        expect((await holding).statusCode).toBe(201);
      },
    );
  });
});
