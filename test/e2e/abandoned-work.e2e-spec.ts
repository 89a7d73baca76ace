import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { Item } from '../../src/features/items/entities/item.entity';
import { abandonmentNoise, AbandonedWorkModule, handlerOutcome } from '../support/abandoned-work.module';
import { bootTestApp, type TestApp } from '../support/test-app';

const REQUEST_TIMEOUT = 'tag:nest-chassis,2026:problems/request-timeout';

/**
 * A handler that ignores its request's signal and keeps working past
 * REQUEST_TIMEOUT_SECONDS (issue #26, defect 9): after the 503 its database
 * work stops — the transaction it has open rolls back, nothing is committed
 * after the client was told to retry — and its late result is dropped quietly.
 * On SQLite here; test/integration/abandoned-work.int-spec.ts runs the same on PostgreSQL.
 */
describe('abandoned handlers stop their database work (e2e, SQLite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ REQUEST_TIMEOUT_SECONDS: '1' }, { after: [AbandonedWorkModule] });
  });
  afterAll(async () => t.close());

  const stored = (sku: string) => t.app.get(DataSource).getRepository(Item).countBy({ sku });

  it('a transaction that writes after the deadline is rolled back: 503, no row, no warning or error line', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/abandoned-work/late-write-1?waitMs=1500' });
    expect(response.statusCode).toBe(503);
    expect(response.json().type).toBe(REQUEST_TIMEOUT);
    // The handler ends after the 503; its insert was refused, so its transaction rolled back.
    expect(await handlerOutcome('late-write-1')).toBe('AbortError');
    expect(await stored('late-write-1')).toBe(0);
    expect(abandonmentNoise(t.logs)).toEqual([]);
  });

  it('a late result without database work is dropped without a warning', async () => {
    const from = t.logs.lines.length;
    const response = await t.app.inject({ method: 'GET', url: '/abandoned-work/late/late-return-1?waitMs=1300' });
    expect(response.statusCode).toBe(503);
    expect(await handlerOutcome('late-return-1')).toBe('returned');
    // The adapter sends the result on the next turns: give it time to (not) warn.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(abandonmentNoise(t.logs, from)).toEqual([]);
  });

  it('@RequestSignal() hands the handler the signal the deadline aborts', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/abandoned-work/signal/signal-1' });
    expect(response.statusCode).toBe(503);
    expect(await handlerOutcome('signal-1')).toBe('aborted');
  });

  it('a client that goes away mid-transaction stops it too (the path the shutdown abort takes): no row, no error line', async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const from = t.logs.lines.length;
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('POST /abandoned-work/gone-1?waitMs=600 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n');
    // Within the deadline (1 s): the hang-up, not the deadline, abandons the request.
    setTimeout(() => socket.destroy(), 200);
    expect(await handlerOutcome('gone-1')).toBe('AbortError');
    expect(await stored('gone-1')).toBe(0);
    expect(abandonmentNoise(t.logs, from)).toEqual([]);
  });

  it('a transaction that finishes before the deadline commits as usual', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/abandoned-work/in-time-1?waitMs=10' });
    expect(response.statusCode).toBe(201);
    expect(await stored('in-time-1')).toBe(1);
  });
});
