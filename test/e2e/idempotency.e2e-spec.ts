import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { PROBLEM_TYPES } from '../../src/core/errors/problem-details';
import { IdempotencyProbe, IdempotencyTestModule } from '../support/idempotency/idempotency-test.module';
import { expectProblem } from '../support/pipeline-assertions';
import { bootTestApp, type TestApp } from '../support/test-app';

async function outcomes(t: TestApp): Promise<Record<string, number>> {
  const metric = await t.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('idempotency_requests_total')!.get();
  return Object.fromEntries(metric.values.map((value) => [String(value.labels.outcome), value.value]));
}

describe('idempotency keys with the in-memory store (e2e)', () => {
  let t: TestApp;
  let probe: IdempotencyProbe;
  let n = 0;
  const item = (sku: string) => ({ sku, name: 'Retried item', priceCents: 1250, currency: 'EUR' });
  const writer = (sub = 'idem-writer') => t.authHeader({ sub, scope: 'items:read items:write' });
  const post = (url: string, payload: unknown, headers: Record<string, string | string[]>) =>
    t.app.inject({ method: 'POST', url, payload: payload as object, headers: { 'content-type': 'application/json', ...headers } });
  const uniqueKey = () => `key-${process.pid}-${++n}`;

  beforeAll(async () => {
    t = await bootTestApp({}, { after: [IdempotencyTestModule] });
    probe = t.app.get(IdempotencyProbe);
  });
  afterAll(async () => t.close());

  it('replays the first response to a retry with the same key: same status, bytes and resource, handler not run again', async () => {
    const key = uniqueKey();
    const first = await post('/items', item('IDEM-1'), { ...writer(), 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const retry = await post('/items', item('IDEM-1'), { ...writer(), 'idempotency-key': key });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toBe(first.headers['content-type']);
    expect(retry.body).toBe(first.body);

    const list = await t.app.inject({ method: 'GET', url: '/items?limit=100', headers: writer() });
    expect(list.json<{ items: { sku: string }[] }>().items.filter((i) => i.sku === 'IDEM-1')).toHaveLength(1);
  });

  it('names the outcome in the access log line (`idempotency`): new, replayed, mismatch; absent without a key', async () => {
    const key = uniqueKey();
    const accessLineOf = (response: { headers: Record<string, unknown> }) =>
      t.logs.withMessage('request completed').find((line) => line.requestId === response.headers['x-request-id']);
    const first = await post('/items', item('IDEM-LOG'), { ...writer(), 'idempotency-key': key });
    const retry = await post('/items', item('IDEM-LOG'), { ...writer(), 'idempotency-key': key });
    const reused = await post('/items', item('IDEM-LOG-OTHER'), { ...writer(), 'idempotency-key': key });
    const keyless = await post('/items', item('IDEM-LOG-NO-KEY'), writer());
    expect([first.statusCode, retry.statusCode, reused.statusCode, keyless.statusCode]).toEqual([201, 201, 422, 201]);
    expect(accessLineOf(first)?.idempotency).toBe('new');
    expect(accessLineOf(retry)?.idempotency).toBe('replayed');
    expect(accessLineOf(reused)?.idempotency).toBe('mismatch');
    expect(accessLineOf(keyless)).toBeDefined();
    expect(accessLineOf(keyless)).not.toHaveProperty('idempotency');
  });

  it('accepts the key as a structured-field string ("...") or bare, and the body with its members in any order', async () => {
    const key = uniqueKey();
    const first = await post('/items', item('IDEM-2'), { ...writer(), 'idempotency-key': `"${key}"` });
    const { currency, priceCents, name, sku } = item('IDEM-2');
    const retry = await post('/items', { currency, priceCents, name, sku }, { ...writer(), 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
  });

  it('creates exactly one resource under 20 concurrent requests with one key: the others get 409 or the replay', async () => {
    const key = uniqueKey();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post('/items', item('IDEM-CONCURRENT'), { ...writer(), 'idempotency-key': key })),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const created = responses.filter((r) => r.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.json<{ id: string }>().id)).size).toBe(1);
    for (const conflict of responses.filter((r) => r.statusCode === 409)) {
      expect(expectProblem(conflict, 409).type).toBe(PROBLEM_TYPES.idempotencyKeyInFlight);
      expect(conflict.headers['retry-after']).toBe('1');
    }
    const list = await t.app.inject({ method: 'GET', url: '/items?limit=100', headers: writer() });
    expect(list.json<{ items: { sku: string }[] }>().items.filter((i) => i.sku === 'IDEM-CONCURRENT')).toHaveLength(1);
  });

  it('answers 409 with Retry-After while the first request with the key is still running, then replays it', async () => {
    probe.reset();
    const key = uniqueKey();
    const callsBefore = probe.calls;
    const first = post('/idempotency-test/slow', {}, { ...writer(), 'idempotency-key': key });
    await probe.started;
    const during = await post('/idempotency-test/slow', {}, { ...writer(), 'idempotency-key': key });
    expect(expectProblem(during, 409).type).toBe(PROBLEM_TYPES.idempotencyKeyInFlight);
    expect(during.headers['retry-after']).toBe('1');
    probe.open();
    const done = await first;
    expect(done.statusCode).toBe(201);
    const after = await post('/idempotency-test/slow', {}, { ...writer(), 'idempotency-key': key });
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(after.body).toBe(done.body);
    expect(probe.calls).toBe(callsBefore + 1);
  });

  it('answers 422 when a key is reused for a different payload, and creates nothing', async () => {
    const key = uniqueKey();
    expect((await post('/items', item('IDEM-3'), { ...writer(), 'idempotency-key': key })).statusCode).toBe(201);
    const reused = await post('/items', item('IDEM-3-OTHER'), { ...writer(), 'idempotency-key': key });
    const problem = expectProblem(reused, 422);
    expect(problem.type).toBe(PROBLEM_TYPES.idempotencyKeyReused);
    const list = await t.app.inject({ method: 'GET', url: '/items?limit=100', headers: writer() });
    expect(list.json<{ items: { sku: string }[] }>().items.filter((i) => i.sku === 'IDEM-3-OTHER')).toHaveLength(0);
  });

  it('keeps keys per caller: the same key from another principal is a new request', async () => {
    const key = uniqueKey();
    // Another SKU for the second caller: SKUs are unique, and this test is about the key.
    const mine = await post('/items', item('IDEM-4A'), { ...writer('idem-alice'), 'idempotency-key': key });
    const theirs = await post('/items', item('IDEM-4B'), { ...writer('idem-bob'), 'idempotency-key': key });
    expect(mine.statusCode).toBe(201);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json<{ id: string }>().id).not.toBe(mine.json<{ id: string }>().id);
  });

  it('keeps keys per client address on public routes', async () => {
    const key = uniqueKey();
    const send = (remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: '/idempotency-test/public', remoteAddress, headers: { 'idempotency-key': key } });
    const a = await send('198.51.100.1');
    const again = await send('198.51.100.1');
    const b = await send('198.51.100.2');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(a.body);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json<{ call: number }>().call).toBe(a.json<{ call: number }>().call + 1);
  });

  it('does not store an error: a retry after a 500 runs the handler again', async () => {
    const key = uniqueKey();
    const failed = await post('/idempotency-test/flaky', {}, { ...writer(), 'idempotency-key': key });
    expectProblem(failed, 500);
    const retry = await post('/idempotency-test/flaky', {}, { ...writer(), 'idempotency-key': key });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const replay = await post('/idempotency-test/flaky', {}, { ...writer(), 'idempotency-key': key });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(retry.body);
  });

  it('refuses malformed keys with a 400 problem naming the header, and runs nothing', async () => {
    const callsBefore = probe.calls;
    for (const header of ['""', 'x'.repeat(256), 'caf\u00e9', 'a\\"b']) {
      const response = await post('/idempotency-test/required', {}, { ...writer(), 'idempotency-key': header });
      const problem = expectProblem(response, 400);
      expect(problem.type).toBe(PROBLEM_TYPES.idempotencyKeyInvalid);
      expect(problem.errors).toEqual([expect.objectContaining({ location: 'header', pointer: 'Idempotency-Key' })]);
    }
    const twice = await post('/idempotency-test/required', {}, { ...writer(), 'idempotency-key': ['a', 'b'] });
    expect(expectProblem(twice, 400).detail).toContain('must be sent once');
    expect(probe.calls).toBe(callsBefore);
  });

  it('refuses a request without a key on a route that requires one (400); without a key an optional route runs each time', async () => {
    const missing = await post('/idempotency-test/required', { a: 1 }, writer());
    expect(expectProblem(missing, 400).detail).toBe('This route requires an Idempotency-Key header.');
    const one = await post('/items', item('IDEM-NOKEY-1'), writer());
    const two = await post('/items', item('IDEM-NOKEY-2'), writer());
    expect([one.statusCode, two.statusCode]).toEqual([201, 201]);
    expect(one.json<{ id: string }>().id).not.toBe(two.json<{ id: string }>().id);
  });

  it('counts every outcome in idempotency_requests_total', async () => {
    const counts = await outcomes(t);
    expect(counts.new).toBeGreaterThan(0);
    expect(counts.replayed).toBeGreaterThan(0);
    expect(counts.conflict).toBeGreaterThan(0);
    expect(counts.mismatch).toBeGreaterThan(0);
  });
});
