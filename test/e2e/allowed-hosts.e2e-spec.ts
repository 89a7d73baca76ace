import { expectPipelineHeaders, expectProblem } from '../support/pipeline-assertions';
import { rawRequest } from '../support/raw-http';
import { bootTestApp, type TestApp } from '../support/test-app';

// In its own file: nestjs-pino keeps one pino-http instance per module registry, so only
// the first app booted in a test file writes to its own log capture (Jest isolates files).
describe('allowed hosts (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ ALLOWED_HOSTS: 'api.example.com,.internal.example' });
  });
  afterAll(async () => t.close());

  it('serves a listed host and subdomains of a dotted entry', async () => {
    const auth = t.authHeader({ scope: 'items:read' });
    expect((await t.app.inject({ method: 'GET', url: '/items', headers: { ...auth, host: 'API.example.com:8443' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/items', headers: { ...auth, host: 'svc.internal.example' } })).statusCode).toBe(200);
  });

  it('refuses another host with a 400 problem, with headers, logged with its request id', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/items',
      headers: { host: 'evil.example', 'x-correlation-id': 'corr-host' },
    });
    expect(expectProblem(response, 400).type).toBe('tag:nest-chassis,2026:problems/invalid-host');
    expectPipelineHeaders(response);
    const refused = t.logs.withMessage('Request refused: host not allowed');
    expect(refused).toEqual([
      expect.objectContaining({
        requestId: response.headers['x-request-id'],
        correlationId: 'corr-host',
        host: 'evil.example',
        level: 'warn',
      }),
    ]);
  });

  it('does not take X-Forwarded-Host from an untrusted peer', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/items',
      headers: { host: 'evil.example', 'x-forwarded-host': 'api.example.com' },
    });
    expect(response.statusCode).toBe(400);
  });

  it('refuses two Host headers, and an absolute-form target naming another host, over a real socket', async () => {
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    const duplicate = await rawRequest(port, ['GET /health/live HTTP/1.1\r\nHost: api.example.com\r\nHost: evil.example\r\n\r\n']);
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json()).toMatchObject({
      type: 'tag:nest-chassis,2026:problems/invalid-host',
      detail: expect.stringMatching(/more than one Host/),
    });
    const absolute = await rawRequest(port, ['GET http://evil.example/health/live HTTP/1.1\r\nHost: api.example.com\r\n\r\n']);
    expect(absolute.statusCode).toBe(400);
    expect(absolute.json()).toMatchObject({
      type: 'tag:nest-chassis,2026:problems/invalid-host',
      detail: expect.stringMatching(/target names/),
    });
    const served = await rawRequest(port, ['GET http://api.example.com/health/live HTTP/1.1\r\nHost: api.example.com\r\n\r\n']);
    expect(served.statusCode).toBe(200);
  });
});

describe('duplicate Host headers without ALLOWED_HOSTS (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(async () => t.close());

  it('are still a 400 problem (RFC 9112 section 3.2)', async () => {
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    const duplicate = await rawRequest(port, ['GET /health/live HTTP/1.1\r\nHost: localhost\r\nhost: other.example\r\n\r\n']);
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.headers['content-type']).toContain('application/problem+json');
    expect((await rawRequest(port, ['GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n'])).statusCode).toBe(200);
  });
});
