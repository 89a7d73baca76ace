import { expectPipelineHeaders, expectProblem } from '../support/pipeline-assertions';
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
});
