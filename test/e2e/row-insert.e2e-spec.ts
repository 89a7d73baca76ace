import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { insertRow } from '../../src/core/database/row-insert';
import { OutboxEvent } from '../../src/core/events/outbox-event.entity';
import { ProcessedEvent } from '../../src/core/events/processed-event.entity';
import { isUniqueViolation } from '../../src/core/events/unique-violation';
import { Item } from '../../src/features/items/entities/item.entity';
import { bootTestApp, type TestApp } from '../support/test-app';

/** An outbox row as `DomainEvents.publish()` writes it: JSON columns, timestamps, a null one. */
function outboxRow(id = randomUUID()): OutboxEvent {
  return {
    id,
    type: 'item.created',
    payload: { id: 'a1', sku: 'chair-1', tags: ['x', 'y'], nested: { n: 1, at: '2031-02-03T04:05:06.789Z' } },
    tenantId: 'tenant-a',
    origin: { requestId: 'req-1', correlationId: 'corr-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    createdAt: new Date('2031-02-03T04:05:06.789Z'),
    publishedAt: null,
    attempts: 0,
  };
}

/**
 * `insertRow` (the outbox's and the inbox's insert) against the query
 * builder's insert, on the app's own data source and migrated schema: SQLite
 * in `npm test`, PostgreSQL when `TEST_DATABASE_URL` is set (the integration
 * and coverage runs).
 */
describe('insertRow: one plain INSERT through TypeORM’s driver (e2e)', () => {
  let t: TestApp;
  let dataSource: DataSource;
  beforeAll(async () => {
    t = await bootTestApp();
    dataSource = t.app.get(DataSource);
  });
  afterAll(async () => t.close());

  const stored = async (id: string) => {
    const rows = (await dataSource.query(`SELECT * FROM outbox_events WHERE id = ${dataSource.driver.createParameter('id', 0)}`, [
      id,
    ])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    const columns = { ...rows[0] };
    delete columns.id;
    return columns;
  };

  it('stores exactly what the query builder stores, column by column', async () => {
    const byBuilder = outboxRow();
    const byInsertRow = outboxRow();
    await dataSource
      .createQueryBuilder()
      .insert()
      .into(OutboxEvent)
      .values(byBuilder as object)
      .execute();
    await insertRow(dataSource.manager, OutboxEvent, byInsertRow);
    expect(await stored(byInsertRow.id)).toEqual(await stored(byBuilder.id));
  });

  it('reads back as the same entity (JSON objects, the instant to the millisecond, null)', async () => {
    const row = outboxRow();
    await insertRow(dataSource.manager, OutboxEvent, row);
    const read = await dataSource.getRepository(OutboxEvent).findOneByOrFail({ id: row.id });
    expect(read).toEqual(row);
    expect(read.createdAt.toISOString()).toBe('2031-02-03T04:05:06.789Z');
  });

  it('leaves out the columns the row leaves undefined: the database default applies', async () => {
    const row: Partial<OutboxEvent> = outboxRow();
    delete row.tenantId;
    delete row.attempts;
    await insertRow(dataSource.manager, OutboxEvent, row as OutboxEvent);
    const read = await dataSource.getRepository(OutboxEvent).findOneByOrFail({ id: row.id! });
    expect(read.tenantId).toBe('');
    expect(read.attempts).toBe(0);
  });

  it('writes in the manager’s transaction: nothing after a rollback, the row after a commit', async () => {
    const rolledBack = outboxRow();
    await expect(
      dataSource.transaction(async (manager) => {
        await insertRow(manager, OutboxEvent, rolledBack);
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    expect(await dataSource.getRepository(OutboxEvent).countBy({ id: rolledBack.id })).toBe(0);

    const committed = outboxRow();
    await dataSource.transaction((manager) => insertRow(manager, OutboxEvent, committed));
    expect(await dataSource.getRepository(OutboxEvent).countBy({ id: committed.id })).toBe(1);
  });

  it('fails a second inbox record for the same event and handler with a unique violation the inbox recognizes', async () => {
    const record = { eventId: randomUUID(), handler: 'ItemHistory.record', processedAt: new Date() };
    await insertRow(dataSource.manager, ProcessedEvent, record);
    const second = insertRow(dataSource.manager, ProcessedEvent, { ...record, processedAt: new Date() });
    await expect(second).rejects.toBeInstanceOf(QueryFailedError);
    expect(isUniqueViolation(await second.catch((error: unknown) => error))).toBe(true);
    await insertRow(dataSource.manager, ProcessedEvent, { ...record, handler: 'Another.handler' });
    expect(await dataSource.getRepository(ProcessedEvent).countBy({ eventId: record.eventId })).toBe(2);
  });

  it('refuses a @TenantScoped() entity, whose tenant only the repository stamps, and writes nothing', async () => {
    const before = await dataSource.getRepository(Item).count();
    const item = { id: randomUUID(), sku: 'row-insert-1', name: 'n', ownerId: 'o', priceCents: 1, currency: 'EUR', description: null };
    await expect(insertRow(dataSource.manager, Item, item as unknown as Item)).rejects.toThrow('insertRow: Item is @TenantScoped()');
    expect(await dataSource.getRepository(Item).count()).toBe(before);
  });
});
