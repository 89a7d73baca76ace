import { bootTestApp, type TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('bad input gets a problem response, never a 500 (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(async () => t.close());

  const auth = () => t.authHeader({ scope: 'items:read items:write' });
  const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    t.app.inject({ method: 'POST', url: '/items', payload, headers: { ...auth(), ...headers } });

  function expectProblem(res: Awaited<ReturnType<typeof post>>, status: number) {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe(PROBLEM);
    const body = res.json();
    expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(body)).not.toMatch(/at .+\.(ts|js):\d+/); // no stack frames
    return body;
  }

  it('malformed JSON → 400', async () => {
    const body = expectProblem(await post('{"sku": "abc", '), 400);
    expect(body.detail).toMatch(/not valid JSON/);
    expect(body.instance).toBe('/items');
  });

  it('unknown fields → 400 naming each one', async () => {
    const res = await post(JSON.stringify({ sku: 'abc', name: 'x', priceCents: 1, currency: 'EUR', isAdmin: true, extra: 1 }));
    const body = expectProblem(res, 400);
    expect(body.errors).toEqual([
      { location: 'body', pointer: '#/isAdmin', detail: 'property isAdmin should not exist' },
      { location: 'body', pointer: '#/extra', detail: 'property extra should not exist' },
    ]);
  });

  it('wrong types and oversized strings → 400 with every field error', async () => {
    const res = await post(JSON.stringify({ sku: 'a', name: 'n'.repeat(201), priceCents: '12', currency: 'euro' }));
    const body = expectProblem(res, 400);
    const pointers = body.errors.map((e: { pointer: string }) => e.pointer);
    expect(new Set(pointers)).toEqual(new Set(['#/sku', '#/name', '#/priceCents', '#/currency']));
    expect(body.errors).toContainEqual({
      location: 'body',
      pointer: '#/name',
      detail: 'name must be shorter than or equal to 200 characters',
    });
  });

  it('a missing body on a DTO route → 400 listing the required fields', async () => {
    const body = expectProblem(await t.app.inject({ method: 'POST', url: '/items', headers: auth() }), 400);
    expect(body.errors.length).toBeGreaterThanOrEqual(4);
  });

  it('a malformed path parameter → 400', async () => {
    const body = expectProblem(await t.app.inject({ method: 'GET', url: '/items/not-a-uuid', headers: auth() }), 400);
    expect(body.detail).toContain('uuid');
  });

  it('a body over the limit → 413', async () => {
    const big = JSON.stringify({ sku: 'abc', name: 'x', description: 'd'.repeat(4096), priceCents: 1, currency: 'EUR' });
    const body = expectProblem(await post(big), 413);
    expect(body.detail).toMatch(/too large/i);
  });

  it('an unsupported content type → 415', async () => {
    expectProblem(await post('sku=abc', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
    expectProblem(await post('sku', { 'content-type': 'text/plain' }), 415);
  });

  it('prototype-poisoning keys → 400', async () => {
    expectProblem(await post('{"sku":"abc","__proto__":{"isAdmin":true}}'), 400);
  });

  it('an unknown route → 404', async () => {
    const body = expectProblem(await t.app.inject({ method: 'GET', url: '/no/such/route?token=secret' }), 404);
    expect(body.instance).toBe('/no/such/route'); // the query string (may hold secrets) is left out
  });

  it('a known path with the wrong method → 405 with Allow', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/items' });
    expectProblem(res, 405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
  });

  it('keeps serving after all of the above', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/items', headers: auth() });
    expect(res.statusCode).toBe(200);
  });

  it('never trusts an inbound X-Request-ID as the id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'forged' } });
    expect(res.headers['x-request-id']).not.toBe('forged');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
