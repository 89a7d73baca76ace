import { find, parseSamples } from '../support/prometheus-text';
import { rawRequest } from '../support/raw-http';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * A client's failures are 4xx, never 5xx, over a real socket: a body that
 * never arrives in full (408, not the 503 of a slow handler), an unknown path
 * (404 at once, before the body), an encoded body (415), a client that hangs
 * up (one info line, nothing at error level).
 */
describe('client-caused failures are 4xx problems, never 5xx (e2e)', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await bootTestApp({ REQUEST_TIMEOUT_SECONDS: '1' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(async () => t.close());

  const partialPost = (path: string, headers = '') => [
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n${headers}\r\n{"sku":`,
  ];

  it('a body shorter than its Content-Length → 408 problem after REQUEST_TIMEOUT_SECONDS, connection closed, even without a token', async () => {
    const response = await rawRequest(port, partialPost('/items'), 5000);
    expect(response.statusCode).toBe(408);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.headers.connection).toBe('close');
    expect(response.json()).toMatchObject({ status: 408, type: 'tag:nest-chassis,2026:problems/client-timeout' });
    expect(response.elapsedMs).toBeGreaterThanOrEqual(900);
  });

  it('the same to an unknown path → 404 at once, before the body', async () => {
    const response = await rawRequest(port, partialPost('/no/such/path'), 5000);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.elapsedMs).toBeLessThan(500);
  });

  it('a body with a Content-Encoding → 415 with Accept-Encoding: identity, before it is read', async () => {
    const auth = t.authHeader({ scope: 'items:write' }).authorization;
    for (const encoding of ['br', 'gzip', 'GZIP, identity']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/items',
        headers: { authorization: auth, 'content-type': 'application/json', 'content-encoding': encoding },
        payload: JSON.stringify({ sku: 'enc-1', name: 'n', priceCents: 1, currency: 'EUR' }),
      });
      expect([encoding, response.statusCode]).toEqual([encoding, 415]);
      expect(response.headers['accept-encoding']).toBe('identity');
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    const identity = await t.app.inject({
      method: 'POST',
      url: '/items',
      headers: { authorization: auth, 'content-type': 'application/json', 'content-encoding': 'identity' },
      payload: JSON.stringify({ sku: 'enc-2', name: 'n', priceCents: 1, currency: 'EUR' }),
    });
    expect(identity.statusCode).toBe(201);
  });

  it('a client that hangs up mid-body gets one info line saying it went away, nothing at error level', async () => {
    const before = t.logs.lines.length;
    await expect(
      rawRequest(port, [...partialPost('/items', `Authorization: ${t.authHeader({ scope: 'items:write' }).authorization}\r\n`)], 200),
    ).rejects.toThrow(/no answer/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = t.logs.lines.slice(before);
    expect(lines.filter((line) => line.msg === 'request aborted: the client went away')).toEqual([
      expect.objectContaining({ level: 'info', method: 'POST', route: '/items', clientWentAway: true }),
    ]);
    expect(lines.filter((line) => line.msg === 'request completed')).toEqual([]);
    expect(lines.filter((line) => ['error', 'fatal'].includes(String(line.level)))).toEqual([]);
  });

  it('counts the 408 as a client error: no 5xx in the HTTP metrics, no error-level line', async () => {
    const metrics = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    const counts = find(metrics, 'http_server_request_duration_seconds_count');
    expect(counts.filter((s) => s.labels.status_code.startsWith('5') && s.value > 0)).toEqual([]);
    expect(find(metrics, 'http_server_request_duration_seconds_count', { route: '/items', status_code: '408' })[0]?.value).toBe(1);
    expect(t.logs.lines.filter((line) => ['error', 'fatal'].includes(String(line.level)))).toEqual([]);
  });
});
