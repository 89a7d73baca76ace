import type { LightMyRequestResponse } from 'fastify';
import { bootFixtureApp } from '../support/fixture-app';
import type { TestApp } from '../support/test-app';

/** A token that may read and write items. */
const auth = (t: TestApp) => t.authHeader({ scope: 'items:read items:write' });

const ACCESS = 'request completed';
const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('logging (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootFixtureApp({ LOG_REDACT_PATHS: 'body.password' });
  });
  afterAll(async () => t.close());

  const accessLines = (response: LightMyRequestResponse) =>
    t.logs.withMessage(ACCESS).filter((line) => line.requestId === response.headers['x-request-id']);

  it('writes exactly one access-log line per request, whatever layer answered', async () => {
    const item = (
      await t.app.inject({
        method: 'POST',
        url: '/items',
        headers: auth(t),
        payload: { sku: 'log-1', name: 'Lamp', priceCents: 1, currency: 'EUR' },
      })
    ).json<{ id: string }>();
    const served = await t.app.inject({ method: 'GET', url: '/fixture/limited' }); // uses the bucket of 1
    const responses = [
      await t.app.inject({ method: 'GET', url: `/items/${item.id}`, headers: auth(t) }), // 200
      await t.app.inject({ method: 'GET', url: '/no/such/route' }), // 404 from the router
      await t.app.inject({ method: 'POST', url: '/items', headers: auth(t), payload: { name: 'x'.repeat(2 * 1024 * 1024) } }), // 413 from the body parser
      await t.app.inject({ method: 'GET', url: '/fixture/private' }), // 401 from a guard
      await t.app.inject({ method: 'GET', url: '/fixture/boom' }), // 500 from a handler
      await t.app.inject({ method: 'GET', url: '/fixture/limited' }), // 429 from the rate limiter (the bucket was used above)
    ];
    expect(served.statusCode).toBe(200);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 404, 413, 401, 500, 429]);
    for (const response of [served, ...responses]) expect(accessLines(response)).toHaveLength(1);
    // No other "completed" line from pino-http or Fastify.
    expect(t.logs.lines.filter((line) => /request (completed|errored)|incoming request/.test(String(line.msg)))).toHaveLength(
      t.logs.withMessage(ACCESS).length,
    );
  });

  it('carries the documented fields, with the route template and the ids of the response', async () => {
    const item = (
      await t.app.inject({
        method: 'POST',
        url: '/items',
        headers: auth(t),
        payload: { sku: 'log-2', name: 'Desk', priceCents: 1, currency: 'EUR' },
      })
    ).json<{ id: string }>();
    const response = await t.app.inject({ method: 'GET', url: `/items/${item.id}`, headers: { ...auth(t), 'user-agent': 'log-test/1.0' } });
    const [line] = accessLines(response);
    expect(line).toEqual({
      level: 'info',
      time: expect.stringMatching(RFC3339_MS),
      service: 'nest-chassis',
      version: expect.any(String),
      requestId: response.headers['x-request-id'],
      correlationId: response.headers['x-request-id'],
      method: 'GET',
      route: '/items/:id',
      url: `/items/${item.id}`,
      statusCode: 200,
      durationMs: expect.any(Number),
      clientAddress: '127.0.0.1',
      userAgent: 'log-test/1.0',
      responseSizeBytes: Buffer.byteLength(response.body),
      msg: ACCESS,
    });
  });

  it('puts the request and correlation ids of a problem body and of a feature log line in the logs', async () => {
    const failed = await t.app.inject({ method: 'GET', url: '/fixture/boom' });
    const requestId = failed.json<{ requestId: string }>().requestId;
    expect(requestId).toBe(failed.headers['x-request-id']);
    expect(t.logs.withMessage('Unhandled error while serving a request').some((line) => line.requestId === requestId)).toBe(true);

    const greeted = await t.app.inject({ method: 'GET', url: '/fixture/hello', headers: { 'x-correlation-id': 'corr-feature-1' } });
    const featureLines = t.logs.withMessage('fixture says hello');
    expect(featureLines.at(-1)).toMatchObject({
      requestId: greeted.headers['x-request-id'],
      correlationId: 'corr-feature-1',
      context: 'FixtureService',
    });
    // The 500's log line carries the correlation id too (here: the request id, none was sent).
    const unhandled = t.logs.withMessage('Unhandled error while serving a request').find((line) => line.requestId === requestId);
    expect(unhandled?.correlationId).toBe(requestId);
  });

  it('names the request and correlation ids once in every line of a request, whichever logger wrote it', async () => {
    const correlated = { 'x-correlation-id': 'corr-once-1' };
    const responses = [
      await t.app.inject({ method: 'GET', url: '/fixture/hello', headers: correlated }), // Nest Logger (nestjs-pino)
      await t.app.inject({ method: 'GET', url: '/fixture/request-log', headers: correlated }), // request.log, PinoLogger.assign
      await t.app.inject({ method: 'GET', url: '/fixture/boom', headers: correlated }), // the problem filter's error line
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 500]);
    for (const response of responses) {
      const requestId = String(response.headers['x-request-id']);
      const raw = t.logs.rawLines.filter((line) => line.includes(`"requestId":"${requestId}"`));
      expect(raw.length).toBeGreaterThanOrEqual(2); // at least the request's own line and its access-log line
      for (const line of raw) {
        expect(line.match(/"requestId":/g)).toHaveLength(1);
        expect(line.match(/"correlationId":"corr-once-1"/g)).toHaveLength(1);
        expect(line.match(/"correlationId":/g)).toHaveLength(1);
      }
    }
    const requestLogLine = t.logs.withMessage('fixture request.log line').at(-1);
    expect(requestLogLine).toMatchObject({ level: 'warn', reason: 'fixture', requestId: responses[1].headers['x-request-id'] });
    const assigned = t.logs.withMessage('fixture assigned line').at(-1);
    expect(assigned).toMatchObject({ assigned: 'yes', requestId: responses[1].headers['x-request-id'], correlationId: 'corr-once-1' });
  });

  it('adds no request ids to lines written outside a request', () => {
    const boot = t.logs.lines.filter((line) => line.context === 'NestApplication' || line.context === 'RoutesResolver');
    expect(boot.length).toBeGreaterThan(0);
    for (const line of boot) expect(line).not.toHaveProperty('requestId');
  });

  it('redacts credential headers, configured body paths and query-string values', async () => {
    await t.app.inject({
      method: 'GET',
      url: '/fixture/headers',
      headers: { authorization: 'Bearer secret-token', cookie: 'session=abc', 'x-api-key': 'key-123', 'x-trace-me': 'visible' },
    });
    const [line] = t.logs.withMessage('fixture saw headers');
    expect(line.headers).toMatchObject({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-api-key': '[redacted]',
      'x-trace-me': 'visible',
    });
    expect(line.body).toEqual({ password: '[redacted]', name: 'kept' });
    expect(JSON.stringify(t.logs.lines)).not.toMatch(/secret-token|session=abc|key-123|hunter2/);

    const listed = await t.app.inject({ method: 'GET', url: '/items?limit=5&sort=name&email=someone@example.com' });
    expect(accessLines(listed)[0].url).toBe('/items?limit=[redacted]&sort=[redacted]&email=[redacted]');
  });

  it('does not access-log probes and scrapes by default', async () => {
    const probes = await Promise.all(
      ['/health/live', '/health/ready', '/health/startup', '/metrics'].map((url) => t.app.inject({ method: 'GET', url })),
    );
    for (const probe of probes) {
      expect(probe.statusCode).toBe(200);
      expect(accessLines(probe)).toHaveLength(0);
    }
  });
});

describe('logging options (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootFixtureApp({ LOG_PROBE_REQUESTS: 'true', LOG_QUERY_VALUES: 'true' });
  });
  afterAll(async () => t.close());

  it('access-logs probes with LOG_PROBE_REQUESTS and keeps query values with LOG_QUERY_VALUES', async () => {
    const probe = await t.app.inject({ method: 'GET', url: '/health/live' });
    const listed = await t.app.inject({ method: 'GET', url: '/items?limit=5' });
    const lines = t.logs.withMessage(ACCESS);
    expect(lines.filter((line) => line.requestId === probe.headers['x-request-id'])).toHaveLength(1);
    expect(lines.find((line) => line.requestId === listed.headers['x-request-id'])?.url).toBe('/items?limit=5');
  });
});
