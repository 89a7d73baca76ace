import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { installGracefulShutdown, SHUTDOWN_MESSAGES } from '../../src/core/lifecycle/graceful-shutdown';
import { Item } from '../../src/features/items/entities/item.entity';
import { abandonmentNoise, AbandonedWorkModule, handlerOutcome } from '../support/abandoned-work.module';
import { bootTestApp, type TestApp } from '../support/test-app';
import { testDatabaseUrl } from '../support/test-database';

jest.setTimeout(60_000);

const REQUEST_TIMEOUT = 'tag:nest-chassis,2026:problems/request-timeout';

/** Sessions of this database, other than `observer`'s, running the stuck handler's query. */
async function countSleepingQueries(observer: Client): Promise<number> {
  const result = await observer.query<{ count: string }>(
    `SELECT count(*) FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query = 'SELECT pg_sleep(30)'`,
  );
  return Number(result.rows[0]!.count);
}

/** Polls `count` every 100 ms until it returns `expected` or 5 s have passed; returns the last count. */
async function settle(count: () => Promise<number>, expected: number): Promise<number> {
  let value = await count();
  for (let attempt = 0; value !== expected && attempt < 50; attempt += 1) {
    await sleep(100);
    value = await count();
  }
  return value;
}

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

  const sleepingQueries = () => countSleepingQueries(observer);

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
    expect(await settle(sleepingQueries, 0)).toBe(0);
    expect(await handlerOutcome('pg-sleep-1')).toBe('AbortError');
    expect(abandonmentNoise(t.logs, from)).toEqual([]);
    // The connection that ran it serves the next request.
    const after = await t.app.inject({ method: 'POST', url: '/abandoned-work/pg-in-time-1?waitMs=10' });
    expect(after.statusCode).toBe(201);
    expect(await stored('pg-in-time-1')).toBe(1);
  });
});

/**
 * Issue #26, defect 10 (stuck handlers): the graceful shutdown aborts a
 * request still stuck in the database shortly before SHUTDOWN_TIMEOUT_SECONDS,
 * its query is cancelled on the server, and the shutdown ends within the
 * timeout. The sequence is installed on a test app and its signal handler
 * run directly (test/process/shutdown.process-spec.ts runs the real process).
 */
describe('the shutdown aborts a handler stuck in the database (integration, PostgreSQL)', () => {
  it('cancels its query, logs the abort, and exits 1 within SHUTDOWN_TIMEOUT_SECONDS', async () => {
    const s = await bootTestApp({ REQUEST_TIMEOUT_SECONDS: '0' }, { after: [AbandonedWorkModule] });
    const observer = new Client({ connectionString: testDatabaseUrl() });
    await observer.connect();
    const listeners = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
    let exited = false;
    try {
      await s.app.listen(0, '127.0.0.1');
      const { port } = s.app.getHttpServer().address() as AddressInfo;
      const exit = new Promise<number>((resolve) =>
        installGracefulShutdown(s.app, { delaySeconds: 0, timeoutSeconds: 2 }, (code) => {
          exited = true;
          resolve(code);
        }),
      );
      const client = new Promise<string>((resolve) => {
        get({ host: '127.0.0.1', port, path: '/abandoned-work/pg-sleep/shutdown-sleep-1', agent: false }, (response) =>
          resolve(`status ${response.statusCode}`),
        ).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      expect(await settle(() => countSleepingQueries(observer), 1)).toBe(1);
      const signalledAt = Date.now();
      s.logs.run(() => process.emit('SIGTERM', 'SIGTERM'));
      expect(await exit).toBe(1);
      // Aborted 1 s before the 2 s timeout; the margin is for a loaded machine.
      expect(Date.now() - signalledAt).toBeLessThan(2000 + 1000);
      expect(await settle(() => countSleepingQueries(observer), 0)).toBe(0);
      expect(await handlerOutcome('shutdown-sleep-1')).toBe('AbortError');
      expect(await client).not.toMatch(/^status/);
      expect(s.logs.withMessage(SHUTDOWN_MESSAGES.aborting)).toEqual([expect.objectContaining({ abortedRequests: 1 })]);
      expect(s.logs.withMessage(SHUTDOWN_MESSAGES.timedOut)).toEqual([expect.objectContaining({ abortedRequests: 1 })]);
    } finally {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        for (const listener of process.listeners(signal))
          if (!listeners[signal].includes(listener)) process.removeListener(signal, listener);
      }
      await observer.end();
      if (!exited) await s.close();
    }
  });
});
