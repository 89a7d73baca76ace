import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Item } from '../../src/features/items/entities/item.entity';
import { abandonmentNoise, AbandonedWorkModule, handlerOutcome } from '../support/abandoned-work.module';
import { bootTestApp, type TestApp } from '../support/test-app';
import { testDatabaseUrl } from '../support/test-database';

jest.setTimeout(60_000);

const REQUEST_TIMEOUT = 'tag:nest-chassis,2026:problems/request-timeout';

/**
 * Issue #26, defect 9 on PostgreSQL: a handler that ignores its request's
 * signal and keeps working past REQUEST_TIMEOUT_SECONDS has its database work
 * stopped after the 503 — the transaction it has open rolls back, a query it
 * is stuck in is cancelled on the server — and its late result is dropped
 * quietly. test/e2e/abandoned-work.e2e-spec.ts covers SQLite.
 */
describe('abandoned handlers stop their database work (integration, PostgreSQL)', () => {
  let t: TestApp;
  let observer: Client;
  beforeAll(async () => {
    t = await bootTestApp({ REQUEST_TIMEOUT_SECONDS: '1' }, { after: [AbandonedWorkModule] });
    observer = new Client({ connectionString: testDatabaseUrl() });
    await observer.connect();
  });
  afterAll(async () => {
    await observer?.end();
    await t?.close();
  });

  const stored = (sku: string) => t.app.get(DataSource).getRepository(Item).countBy({ sku });

  /** Sessions of this database running the stuck handler's query. */
  const sleepingQueries = async () =>
    Number(
      (
        await observer.query<{ count: string }>(
          `SELECT count(*) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query = 'SELECT pg_sleep(30)'`,
        )
      ).rows[0]!.count,
    );

  it('a transaction that writes after the deadline is rolled back: 503, no row, no warning or error line', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/abandoned-work/pg-late-write-1?waitMs=1500' });
    expect(response.statusCode).toBe(503);
    expect(response.json().type).toBe(REQUEST_TIMEOUT);
    expect(await handlerOutcome('pg-late-write-1')).toBe('AbortError');
    expect(await stored('pg-late-write-1')).toBe(0);
    expect(abandonmentNoise(t.logs)).toEqual([]);
  });

  it('a query in flight at the deadline is cancelled on the server', async () => {
    const from = t.logs.lines.length;
    const response = await t.app.inject({ method: 'GET', url: '/abandoned-work/pg-sleep/pg-sleep-1' });
    expect(response.statusCode).toBe(503);
    expect(response.json().type).toBe(REQUEST_TIMEOUT);
    // Bounded: without the cancel the query runs for 30 s.
    let running = await sleepingQueries();
    for (let attempt = 0; running > 0 && attempt < 50; attempt += 1) {
      await sleep(100);
      running = await sleepingQueries();
    }
    expect(running).toBe(0);
    expect(await handlerOutcome('pg-sleep-1')).toBe('AbortError');
    expect(abandonmentNoise(t.logs, from)).toEqual([]);
    // The connection that ran it serves the next request.
    const after = await t.app.inject({ method: 'POST', url: '/abandoned-work/pg-in-time-1?waitMs=10' });
    expect(after.statusCode).toBe(201);
    expect(await stored('pg-in-time-1')).toBe(1);
  });
});
