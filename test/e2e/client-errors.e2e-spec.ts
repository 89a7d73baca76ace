import { API_SECURITY_HEADERS } from '../../src/core/security/security-headers';
import { find, parseSamples } from '../support/prometheus-text';
import { rawRequest, type RawResponse } from '../support/raw-http';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * Client errors Node's parser or Fastify's router answer before any hook runs,
 * sent as bytes over a real socket (`inject` cannot send them): each is a
 * problem with a request id and the security headers, one access-log line and
 * a count in the HTTP metrics — and never an error-level log line.
 */
describe('framework-level client errors are problems, access-logged and counted (e2e)', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await bootTestApp({ HEADERS_TIMEOUT_SECONDS: '1' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(async () => t.close());

  function expectProblem(response: RawResponse, status: number, type: string): Record<string, unknown> {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) expect([name, response.headers[name]]).toEqual([name, value]);
    expect(response.headers['cache-control']).toBe('no-store');
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const body = response.json();
    expect(body).toMatchObject({ status, type: `tag:nest-chassis,2026:problems/${type}`, requestId, title: expect.any(String) });
    const access = t.logs.withMessage('request completed').filter((line) => line.requestId === requestId);
    expect(access).toEqual([expect.objectContaining({ statusCode: status, route: 'UNMATCHED', clientError: expect.any(String) })]);
    return body;
  }

  const get = (target: string, extra = '') => rawRequest(port, [`GET ${target} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`]);

  it('a malformed percent-escape or overlong UTF-8 in the path → 400', async () => {
    expectProblem(await get('/items/%zz'), 400, 'malformed-request');
    const body = expectProblem(await get('/items/%C0%AF?token=secret'), 400, 'malformed-request');
    expect(body.instance).toBe('/items/%C0%AF');
  });

  it('a request line over the header limit → 414; a header section over it → 431', async () => {
    expectProblem(await get(`/items/${'a'.repeat(20_000)}`), 414, 'malformed-request');
    const big = await get('/items', `X-Big: ${'a'.repeat(20_000)}\r\n`);
    expectProblem(big, 431, 'malformed-request');
    expect(big.closed || big.headers.connection === 'close').toBe(true);
  });

  it('malformed framing (Content-Length with chunked) and a non-HTTP request line → 400', async () => {
    const smuggle = 'POST /items HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
    expectProblem(await rawRequest(port, [smuggle]), 400, 'malformed-request');
    expectProblem(await rawRequest(port, ['HELLO\r\n\r\n']), 400, 'malformed-request');
  });

  it('honours HEADERS_TIMEOUT_SECONDS within a second: slow headers → 408 problem', async () => {
    const slow = await rawRequest(port, ['GET /items HTTP/1.1\r\nHost: localhost\r\n', 500, 'X-Slow: 1\r\n'], 10_000);
    expectProblem(slow, 408, 'client-timeout');
    // The timeout is 1 s; Node checks it every second (connectionsCheckingInterval): at most ~2 s.
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(slow.elapsedMs).toBeLessThan(2600);
  });

  it('counts every answer above in http_server_request_duration_seconds, and logs none at error level', async () => {
    const metrics = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    const count = (status: string) =>
      find(metrics, 'http_server_request_duration_seconds_count', { route: 'UNMATCHED', status_code: status }).reduce(
        (n, s) => n + s.value,
        0,
      );
    expect({ 400: count('400'), 408: count('408'), 414: count('414'), 431: count('431') }).toEqual({ 400: 4, 408: 1, 414: 1, 431: 1 });
    expect(t.logs.lines.filter((line) => ['error', 'fatal'].includes(String(line.level)))).toEqual([]);
  });
});
