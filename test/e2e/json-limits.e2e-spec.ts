import { bootTestApp, type TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json; charset=utf-8';
const JSON_LIMIT = 'tag:nest-chassis,2026:problems/json-limit';

/**
 * The shape limits on JSON bodies (JSON_MAX_*), with the defaults, on a DTO
 * route: a body within BODY_LIMIT_BYTES whose shape would make validation
 * slow or overflow the stack is refused by the body parser, at once.
 */
describe('JSON bodies over a shape limit get a 400/413 problem before validation (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(async () => t.close());

  const post = (payload: string) =>
    t.app.inject({
      method: 'POST',
      url: '/items',
      payload,
      headers: { 'content-type': 'application/json', ...t.authHeader({ scope: 'items:write' }) },
    });
  const VALID = { sku: 'abc', name: 'x', priceCents: 1, currency: 'EUR' };
  const members = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 1]));

  async function expectLimit(payload: string, status: number, limit: string, maximum: number) {
    const started = performance.now();
    const res = await post(payload);
    const elapsedMs = performance.now() - started;
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.json()).toMatchObject({ status, type: JSON_LIMIT, limit, maximum, requestId: res.headers['x-request-id'] });
    return elapsedMs;
  }

  it('an object with very many members (the quadratic-validation stall) → 413 keysPerObject, in well under a second', async () => {
    const payload = JSON.stringify({ ...VALID, ...members(90_000) });
    expect(payload.length).toBeLessThan(1024 * 1024);
    expect(await expectLimit(payload, 413, 'keysPerObject', 500)).toBeLessThan(1000);
  });

  it('a small, deeply nested body → 400 depth, not a 500', async () => {
    await expectLimit('['.repeat(5000) + ']'.repeat(5000), 400, 'depth', 32);
    await expectLimit('{"a":'.repeat(2000) + '1' + '}'.repeat(2000), 400, 'depth', 32);
    expect(t.logs.lines.filter((line) => ['error', 'fatal'].includes(String(line.level)))).toEqual([]);
  });

  it('a long array, too many values in all, too many string bytes → 413 naming each', async () => {
    await expectLimit(JSON.stringify({ ...VALID, tags: new Array(251).fill(0) }), 413, 'arrayLength', 250);
    const rows = Array.from({ length: 20 }, () => new Array(200).fill(0));
    await expectLimit(JSON.stringify({ ...VALID, rows }), 413, 'values', 2500);
    await expectLimit(JSON.stringify({ ...VALID, description: 'd'.repeat(600 * 1024) }), 413, 'stringBytes', 512 * 1024);
  });

  it('a body within every limit still reaches validation (400 field errors) and a valid one is created', async () => {
    const res = await post(JSON.stringify({ ...VALID, ...members(10) }));
    expect(res.statusCode).toBe(400);
    expect(res.json().type).toBe('tag:nest-chassis,2026:problems/validation');
    expect((await post(JSON.stringify(VALID))).statusCode).toBe(201);
  });
});

describe('the JSON shape limits are configurable (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ JSON_MAX_DEPTH: '2', JSON_MAX_KEYS_PER_OBJECT: '6' });
  });
  afterAll(async () => t.close());

  it('refuses at the configured limits', async () => {
    const headers = { 'content-type': 'application/json', ...t.authHeader({ scope: 'items:write' }) };
    const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/items', payload: JSON.stringify(payload), headers });
    expect((await post({ a: { b: {} } })).json()).toMatchObject({ status: 400, limit: 'depth', maximum: 2 });
    expect((await post({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 })).json()).toMatchObject({
      status: 413,
      limit: 'keysPerObject',
      maximum: 6,
    });
  });
});
