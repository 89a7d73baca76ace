import type { AddressInfo } from 'node:net';
import { rawRequest } from '../support/raw-http';
import { gunzipSync } from 'node:zlib';
import { expectPipelineHeaders, expectProblem } from '../support/pipeline-assertions';
import { keptContextState, PIPELINE_TEST_ENV, PipelineTestModule, slowHandlerState } from '../support/pipeline-test.module';
import { bootTestApp, type TestApp } from '../support/test-app';

describe('request pipeline (e2e)', () => {
  describe('with the default settings', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ ...PIPELINE_TEST_ENV, BODY_LIMIT_BYTES: '2048' }, { after: [PipelineTestModule] });
    });
    afterAll(async () => t.close());

    describe('request id and correlation id', () => {
      it('mints the request id, ignoring an inbound X-Request-ID', async () => {
        const response = await t.app.inject({
          method: 'GET',
          url: '/items',
          headers: { ...t.authHeader({ scope: 'items:read' }), 'x-request-id': 'forged-id' },
        });
        expect(response.statusCode).toBe(200);
        expect(response.headers['x-request-id']).not.toBe('forged-id');
        expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('keeps a well-formed inbound X-Correlation-ID and echoes it', async () => {
        const response = await t.app.inject({
          method: 'GET',
          url: '/pipeline-test/context',
          headers: { 'x-correlation-id': 'order-42.retry:1' },
        });
        expect(response.headers['x-correlation-id']).toBe('order-42.retry:1');
        expect(response.json()).toEqual({ requestId: response.headers['x-request-id'], correlationId: 'order-42.retry:1' });
      });

      it.each([
        ['too long', 'a'.repeat(129)],
        ['with spaces', 'two words'],
        ['with a forged log line', 'x\\n{"level":60}'],
      ])('replaces a malformed correlation id (%s) by the request id', async (_, inbound) => {
        const response = await t.app.inject({ method: 'GET', url: '/pipeline-test/context', headers: { 'x-correlation-id': inbound } });
        expect(response.headers['x-correlation-id']).toBe(response.headers['x-request-id']);
      });

      it('carries both ids in the async context, also after the body is parsed', async () => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/pipeline-test/context',
          headers: { 'x-correlation-id': 'corr-body' },
          payload: { hello: 'world' },
        });
        expect(response.statusCode).toBe(201);
        expect(response.json()).toEqual({
          requestId: response.headers['x-request-id'],
          correlationId: 'corr-body',
          body: { hello: 'world' },
        });
      });

      it('puts the correlation id in problem bodies and on the access log line', async () => {
        const response = await t.app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-correlation-id': 'corr-404' } });
        expect(expectProblem(response, 404).correlationId).toBe('corr-404');
        const access = t.logs.withMessage('request completed').filter((line) => line.requestId === response.headers['x-request-id']);
        expect(access).toHaveLength(1);
        expect(access[0].correlationId).toBe('corr-404');
      });
    });

    describe('security headers', () => {
      it('are on a success, with Cache-Control: no-store', async () => {
        const response = await t.app.inject({ method: 'GET', url: '/items' });
        expectPipelineHeaders(response);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['strict-transport-security']).toBeUndefined();
      });

      it('leave a Cache-Control the route set', async () => {
        const response = await t.app.inject({ method: 'GET', url: '/pipeline-test/cached' });
        expect(response.headers['cache-control']).toBe('public, max-age=60');
        expectPipelineHeaders(response);
      });

      it('are on a 404, a 405 and an unhandled 500 (which leaks nothing)', async () => {
        expectPipelineHeaders(await t.app.inject({ method: 'GET', url: '/nowhere' }));
        const notAllowed = await t.app.inject({ method: 'PUT', url: '/items' });
        expectProblem(notAllowed, 405);
        expectPipelineHeaders(notAllowed);
        const boom = await t.app.inject({ method: 'GET', url: '/pipeline-test/boom' });
        expectPipelineHeaders(boom);
        expect(expectProblem(boom, 500).detail).not.toContain('secret');
      });

      it('relax the CSP for the Swagger UI routes only', async () => {
        const docs = await t.app.inject({ method: 'GET', url: '/docs' });
        expect(docs.statusCode).toBe(200);
        expect(docs.headers['content-security-policy']).toContain("script-src 'self';");
        expect(docs.headers['content-security-policy']).not.toMatch(/script-src[^;]*'unsafe-inline'/);
        expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(docs.headers['x-frame-options']).toBe('DENY');
        const json = await t.app.inject({ method: 'GET', url: '/openapi.json' });
        expect(json.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
        const lookalike = await t.app.inject({ method: 'GET', url: '/docsx' });
        expect(lookalike.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      });
    });

    describe('body limit', () => {
      it('answers 413 as a problem, with the ids and security headers', async () => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/items',
          headers: { 'content-type': 'application/json', 'x-correlation-id': 'corr-413' },
          payload: JSON.stringify({ sku: 'big', name: 'x'.repeat(4096), priceCents: 1, currency: 'EUR' }),
        });
        expect(expectProblem(response, 413).correlationId).toBe('corr-413');
        expectPipelineHeaders(response);
      });
    });

    describe('compression', () => {
      it('compresses a JSON response above the threshold for a client that accepts it', async () => {
        const response = await t.app.inject({ method: 'GET', url: '/pipeline-test/big', headers: { 'accept-encoding': 'gzip' } });
        expect(response.headers['content-encoding']).toBe('gzip');
        expect(JSON.parse(gunzipSync(response.rawPayload).toString()).items).toHaveLength(200);
        expectPipelineHeaders(response);
      });

      it('does not compress small responses, nor for clients that do not ask', async () => {
        const small = await t.app.inject({ method: 'GET', url: '/pipeline-test/cached', headers: { 'accept-encoding': 'gzip' } });
        expect(small.headers['content-encoding']).toBeUndefined();
        const plain = await t.app.inject({ method: 'GET', url: '/pipeline-test/big' });
        expect(plain.headers['content-encoding']).toBeUndefined();
      });

      it('never compresses text/event-stream', async () => {
        const response = await t.app.inject({ method: 'GET', url: '/pipeline-test/events', headers: { 'accept-encoding': 'gzip, br' } });
        expect(response.headers['content-type']).toContain('text/event-stream');
        expect(response.headers['content-encoding']).toBeUndefined();
        expect(response.body).toContain('data: event 199');
      });
    });

    describe('trusted proxies (TRUST_PROXY unset)', () => {
      it('ignores X-Forwarded-For, -Proto and -Host from any peer', async () => {
        const response = await t.app.inject({
          method: 'GET',
          url: '/pipeline-test/client',
          remoteAddress: '10.1.2.3',
          headers: { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
        });
        expect(response.json()).toEqual({ ip: '10.1.2.3', protocol: 'http', host: 'localhost:80' });
      });
    });

    describe('CORS off (CORS_ORIGINS unset)', () => {
      it('sends no CORS headers', async () => {
        const response = await t.app.inject({ method: 'GET', url: '/items', headers: { origin: 'https://app.example.com' } });
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
      });
    });
  });

  describe('request timeout', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ ...PIPELINE_TEST_ENV, REQUEST_TIMEOUT_SECONDS: '1' }, { after: [PipelineTestModule] });
    });
    afterAll(async () => t.close());

    it('answers 503 as a problem and aborts the handler’s signal', async () => {
      const before = { ...slowHandlerState };
      const response = await t.app.inject({ method: 'GET', url: '/pipeline-test/slow' });
      const body = expectProblem(response, 503);
      expect(body.type).toBe('tag:nest-chassis,2026:problems/request-timeout');
      expectPipelineHeaders(response);
      expect(slowHandlerState.started).toBe(before.started + 1);
      expect(slowHandlerState.aborted).toBe(before.aborted + 1);
    });

    it('holds for a request with a body too, on a real socket: 503 at the deadline, the signal not aborted once the body was read', async () => {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const before = { ...slowHandlerState };
      const payload = JSON.stringify({ name: 'x' });
      const response = await rawRequest(port, [
        `POST /pipeline-test/slow HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`,
      ]);
      expect(response.statusCode).toBe(503);
      expect(response.json().type).toBe('tag:nest-chassis,2026:problems/request-timeout');
      expect(response.elapsedMs).toBeGreaterThanOrEqual(900);
      expect(slowHandlerState.started).toBe(before.started + 1);
      expect(slowHandlerState.aborted).toBe(before.aborted + 1);
    });

    it('leaves fast requests alone', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/items', headers: t.authHeader({ scope: 'items:read' }) })).statusCode).toBe(200);
    });

    it('gives work that outlives the request an aborted signal, and keeps its ids', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/pipeline-test/context-kept' });
      expect(response.statusCode).toBe(200);
      const context = keptContextState.context!;
      expect(context.requestId).toBe(response.headers['x-request-id']);
      expect(context.correlationId).toBe(response.headers['x-correlation-id']);
      expect(context.signal.aborted).toBe(true);
    });

    it('hands out a live signal while the request is served, and the same signal afterwards', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/pipeline-test/context-kept-signal' });
      expect(response.statusCode).toBe(200);
      expect(keptContextState.abortedDuringRequest).toBe(false);
      const signal = keptContextState.context!.signal;
      expect(keptContextState.context!.signal).toBe(signal);
    });
  });

  describe('server timeouts', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ KEEP_ALIVE_TIMEOUT_SECONDS: '75', HEADERS_TIMEOUT_SECONDS: '15' });
    });
    afterAll(async () => t.close());

    it('sets keep-alive and headers timeouts on the Node server', () => {
      const server = t.app.getHttpServer();
      expect(server.keepAliveTimeout).toBe(75_000);
      expect(server.headersTimeout).toBe(15_000);
    });
  });

  describe('trusted proxies (TRUST_PROXY set)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp(
        { ...PIPELINE_TEST_ENV, TRUST_PROXY: '10.0.0.0/8', ALLOWED_HOSTS: 'api.example.com', SECURITY_HSTS_ENABLED: 'true' },
        { after: [PipelineTestModule] },
      );
    });
    afterAll(async () => t.close());

    const viaProxy = (headers: Record<string, string>, remoteAddress = '10.0.0.5') =>
      t.app.inject({ method: 'GET', url: '/pipeline-test/client', remoteAddress, headers: { host: 'api.example.com', ...headers } });

    it('takes the rightmost untrusted X-Forwarded-For hop as the client', async () => {
      const response = await viaProxy({ 'x-forwarded-for': '198.51.100.1, 203.0.113.7, 10.0.0.9' });
      expect(response.json().ip).toBe('203.0.113.7');
    });

    it('honours X-Forwarded-Proto and -Host from a trusted peer (HSTS on HTTPS only)', async () => {
      const https = await viaProxy({
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'api.example.com',
      });
      expect(https.json()).toEqual({ ip: '203.0.113.7', protocol: 'https', host: 'api.example.com' });
      expect(https.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const http = await viaProxy({ 'x-forwarded-for': '203.0.113.7' });
      expect(http.headers['strict-transport-security']).toBeUndefined();
    });

    it('ignores the forwarded headers from a peer outside the list', async () => {
      const response = await viaProxy({ 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' }, '192.0.2.50');
      expect(response.json()).toEqual({ ip: '192.0.2.50', protocol: 'http', host: 'api.example.com' });
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });
  });

  describe('CORS', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ CORS_ORIGINS: 'https://app.example.com', CORS_CREDENTIALS: 'true', CORS_MAX_AGE_SECONDS: '300' });
    });
    afterAll(async () => t.close());

    it('answers a preflight from an allowed origin with 204 and the CORS headers', async () => {
      const response = await t.app.inject({
        method: 'OPTIONS',
        url: '/items',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
        'access-control-allow-headers':
          'Authorization, Content-Type, X-Correlation-ID, Idempotency-Key, If-Match, If-None-Match, Last-Event-ID',
        'access-control-max-age': '300',
      });
      expect(response.headers.vary).toContain('Origin');
      expectPipelineHeaders(response);
    });

    it('gives a disallowed origin no Access-Control-Allow-Origin', async () => {
      const response = await t.app.inject({
        method: 'OPTIONS',
        url: '/items',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const get = await t.app.inject({ method: 'GET', url: '/items', headers: { origin: 'https://evil.example' } });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('exposes the request id and rate-limit headers on actual responses', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/items', headers: { origin: 'https://app.example.com' } });
      expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(String(response.headers['access-control-expose-headers'])).toContain('X-Request-ID');
      expect(String(response.headers['access-control-expose-headers'])).toContain('RateLimit-Remaining');
      expect(String(response.headers['access-control-expose-headers'])).toContain('Retry-After');
    });

    it('still answers 404 (not 405) for an unknown path', async () => {
      expectProblem(await t.app.inject({ method: 'GET', url: '/nowhere' }), 404);
    });
  });
});
