import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamClients } from '../../src/core';
import { find, parseSamples } from '../support/prometheus-text';
import { bootTestApp, type TestApp } from '../support/test-app';
import { FullBacklog } from '../support/upstream-backlog';
import { json, UpstreamServer } from '../support/upstream-server';
import { UpstreamTestController } from '../support/upstream-test.controller';

/** The outbound HTTP client against fake upstreams on 127.0.0.1 (docs/outbound-http.md). */
describe('outbound HTTP client (e2e)', () => {
  /** The fake upstream's UPSTREAM_FAKE_MAX_RESPONSE_BYTES. */
  const LIMIT = 64 * 1024;
  const upstream = new UpstreamServer();
  let t: TestApp;

  beforeAll(async () => {
    await upstream.start();
    t = await bootTestApp(
      {
        UPSTREAM_FAKE_URL: `${upstream.url}/api`,
        UPSTREAM_FAKE_TIMEOUT_SECONDS: '0.5',
        UPSTREAM_FAKE_RETRIES: '2',
        UPSTREAM_FAKE_CONNECTIONS: '2',
        UPSTREAM_FAKE_MAX_RESPONSE_BYTES: String(LIMIT),
        UPSTREAM_FAKE_CIRCUIT_BREAKER_FAILURES: '50',
        HTTP_CLIENT_RETRY_AFTER_MAX_SECONDS: '2',
      },
      { controllers: [UpstreamTestController] },
    );
  });
  afterAll(async () => {
    await t?.close();
    await upstream.stop();
  });
  beforeEach(() => upstream.reset());

  const get = (path: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/upstream-test/get?path=${encodeURIComponent(path)}`, headers });

  /** Answers the first `failures` requests with `status` (and `headers`), then 200. */
  function failFirst(failures: number, status: number, headers: Record<string, string> = {}): void {
    let seen = 0;
    upstream.answer((_request, response) =>
      ++seen <= failures ? json(response, status, { error: 'x' }, headers) : json(response, 200, { ok: seen }),
    );
  }

  it('answers with the upstream body, under the URL base path, sending the correlation and request ids', async () => {
    upstream.answer((request, response) => json(response, 200, { path: request.url }));
    const response = await get('/things?x=1', { 'x-correlation-id': 'corr-123' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 200, body: { path: '/api/things?x=1' } });
    expect(upstream.requests[0]!.headers['x-correlation-id']).toBe('corr-123');
    expect(upstream.requests[0]!.headers['x-request-id']).toBe(response.headers['x-request-id']);
  });

  it('hands a 4xx answer to the feature without retrying it', async () => {
    upstream.answer((_request, response) => json(response, 404, { missing: true }));
    const response = await get('/missing');
    expect(response.json()).toEqual({ status: 404, body: { missing: true } });
    expect(upstream.requests).toHaveLength(1);
  });

  it('retries a GET after 503 answers, then succeeds', async () => {
    failFirst(2, 503);
    const response = await get('/flaky');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 200, body: { ok: 3 } });
    expect(upstream.requests).toHaveLength(3);
  });

  it('gives up after the retries: 502 problem+json that names neither the upstream nor its URL, and one log line that does', async () => {
    upstream.answer((_request, response) => json(response, 502, { error: 'bad' }));
    const response = await get('/broken?secret=1');
    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 502, type: 'tag:nest-chassis,2026:problems/upstream-bad-gateway' });
    expect(response.body).not.toMatch(/fake|127\.0\.0\.1|\/api|broken/);
    expect(upstream.requests).toHaveLength(3);
    const lines = t.logs.lines.filter((line) => line.msg === 'Upstream call failed: fake bad-status' && line.path === '/api/broken');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ upstream: 'fake', method: 'GET', upstreamStatus: 502, attempts: 3, durationMs: expect.any(Number) });
  });

  it('never retries a POST without an Idempotency-Key', async () => {
    failFirst(1, 503);
    const response = await t.app.inject({ method: 'POST', url: '/upstream-test/post', payload: { n: 1 } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ type: 'tag:nest-chassis,2026:problems/upstream-unavailable' });
    expect(upstream.requests).toHaveLength(1);
  });

  it('retries a POST that carries an Idempotency-Key, sending the key each time', async () => {
    failFirst(1, 503);
    const response = await t.app.inject({
      method: 'POST',
      url: '/upstream-test/post',
      payload: { n: 2 },
      headers: { 'idempotency-key': 'order-7' },
    });
    expect(response.statusCode).toBe(201);
    expect(upstream.requests.map((request) => [request.method, request.headers['idempotency-key'], request.body])).toEqual([
      ['POST', 'order-7', '{"n":2}'],
      ['POST', 'order-7', '{"n":2}'],
    ]);
  });

  it('waits the Retry-After the upstream asks for (seconds) before retrying', async () => {
    const times: number[] = [];
    let seen = 0;
    upstream.answer((_request, response) => {
      times.push(Date.now());
      if (++seen === 1) json(response, 429, {}, { 'retry-after': '1' });
      else json(response, 200, { ok: true });
    });
    const response = await get('/slow-down');
    expect(response.statusCode).toBe(200);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('waits a Retry-After given as an HTTP-date', async () => {
    const times: number[] = [];
    let seen = 0;
    upstream.answer((_request, response) => {
      times.push(Date.now());
      if (++seen === 1) json(response, 503, {}, { 'retry-after': new Date(Date.now() + 2000).toUTCString() });
      else json(response, 200, { ok: true });
    });
    expect((await get('/date')).statusCode).toBe(200);
    // An HTTP-date has whole seconds: the wait is between 1 and 2 s.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
  });

  it('does not retry when Retry-After exceeds HTTP_CLIENT_RETRY_AFTER_MAX_SECONDS', async () => {
    upstream.answer((_request, response) => json(response, 503, {}, { 'retry-after': '30' }));
    const response = await get('/later');
    expect(response.statusCode).toBe(503);
    expect(upstream.requests).toHaveLength(1);
  });

  it('answers 504 when the upstream does not answer within the timeout, without retrying', async () => {
    upstream.answer(() => undefined);
    const response = await get('/hang');
    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({ type: 'tag:nest-chassis,2026:problems/upstream-timeout' });
    expect(upstream.requests).toHaveLength(1);
    expect(t.logs.lines.find((line) => line.path === '/api/hang')).toMatchObject({ failure: 'timeout', attempts: 1 });
  });

  it('answers 504 when the body still trickles in at the timeout: the timeout bounds the whole answer, not each read', async () => {
    let finished = false;
    upstream.answer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // 30 reads 100 ms apart: each well within the 0.5 s timeout, 3 s in all.
      for (let i = 0; i < 30 && !response.destroyed; i++) {
        response.write('x');
        await sleep(100);
      }
      finished = !response.destroyed;
      response.end();
    });
    const response = await get('/trickle');
    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({ type: 'tag:nest-chassis,2026:problems/upstream-timeout' });
    expect(finished).toBe(false);
    expect(upstream.requests).toHaveLength(1);
    expect(t.logs.lines.find((line) => line.path === '/api/trickle')).toMatchObject({ failure: 'timeout', attempts: 1 });
  });

  it('reads a body of exactly UPSTREAM_<NAME>_MAX_RESPONSE_BYTES; one byte more is a 502, with or without Content-Length', async () => {
    let size = LIMIT;
    let chunked = false;
    upstream.answer((_request, response) => {
      const body = 'y'.repeat(size);
      if (!chunked) return response.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(size) }).end(body);
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write(body.slice(0, 1000));
      response.end(body.slice(1000));
    });
    const whole = await get('/at-limit');
    expect(whole.statusCode).toBe(200);
    expect(whole.json<{ body: string }>().body).toHaveLength(LIMIT);

    size = LIMIT + 1;
    for (const mode of [false, true]) {
      chunked = mode;
      const response = await get(`/too-large-${mode ? 'chunked' : 'declared'}`);
      expect(response.statusCode).toBe(502);
      expect(response.json()).toMatchObject({ type: 'tag:nest-chassis,2026:problems/upstream-bad-gateway' });
      expect(response.body).not.toContain('yyyy');
      expect(t.logs.lines.find((line) => line.path === `/api/too-large-${mode ? 'chunked' : 'declared'}`)).toMatchObject({
        failure: 'response-too-large',
        attempts: 1,
      });
    }
  });

  it('answers 504 when the upstream answers 504', async () => {
    upstream.answer((_request, response) => json(response, 504, {}));
    expect((await get('/gateway-timeout')).statusCode).toBe(504);
    expect(upstream.requests).toHaveLength(3);
  });

  it('opens at most UPSTREAM_<NAME>_CONNECTIONS sockets: further calls queue', async () => {
    upstream.answer((_request, response) => void sleep(30).then(() => json(response, 200, {})));
    const responses = await Promise.all(Array.from({ length: 5 }, (_, index) => get(`/pool/${index}`)));
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(upstream.requests).toHaveLength(5);
    expect(upstream.maxOpenSockets).toBeLessThanOrEqual(2);
  });

  it('exports http_client_request_duration_seconds per attempt in /metrics', async () => {
    upstream.answer((_request, response) => json(response, 200, {}));
    await get('/measured');
    const samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    const counts = find(samples, 'http_client_request_duration_seconds_count', { upstream: 'fake', method: 'GET', status_code: '200' });
    expect(counts[0]?.value).toBeGreaterThan(0);
    expect(find(samples, 'http_client_request_duration_seconds_count', { upstream: 'fake', status_code: '503' })[0]?.value).toBeGreaterThan(
      0,
    );
    expect(find(samples, 'dependency_circuit_state', { dependency: 'upstream:fake' })[0]?.value).toBe(0);
  });
});

describe('outbound HTTP client: connection failures (e2e)', () => {
  const backlog = new FullBacklog();
  let t: TestApp;

  beforeAll(async () => {
    await backlog.start();
    t = await bootTestApp(
      {
        UPSTREAM_FAKE_URL: backlog.url,
        UPSTREAM_FAKE_CONNECT_TIMEOUT_SECONDS: '0.2',
        UPSTREAM_FAKE_TIMEOUT_SECONDS: '5',
        UPSTREAM_FAKE_RETRIES: '1',
      },
      { controllers: [UpstreamTestController] },
    );
  });
  afterAll(async () => {
    await t?.close();
    backlog.stop();
  });

  it('answers 504 after the connect timeout, once per attempt (connection failures are retried)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/upstream-test/get?path=/x' });
    expect(response.statusCode).toBe(504);
    expect(t.logs.lines.find((line) => line.upstream === 'fake' && line.failure === 'connect-timeout')).toMatchObject({ attempts: 2 });
  });
});

describe('outbound HTTP client: circuit breaker (e2e)', () => {
  const upstream = new UpstreamServer();
  let t: TestApp;

  beforeAll(async () => {
    await upstream.start();
    t = await bootTestApp(
      {
        UPSTREAM_FAKE_URL: upstream.url,
        UPSTREAM_FAKE_RETRIES: '0',
        UPSTREAM_FAKE_CIRCUIT_BREAKER_FAILURES: '2',
        UPSTREAM_FAKE_CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: '0.3',
      },
      { controllers: [UpstreamTestController] },
    );
  });
  afterAll(async () => {
    await t?.close();
    await upstream.stop();
  });

  const get = () => t.app.inject({ method: 'GET', url: '/upstream-test/get?path=/x' });
  const circuitState = async () =>
    find(parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body), 'dependency_circuit_state', {
      dependency: 'upstream:fake',
    })[0]?.value;

  it('opens after the configured failures (503 at once, upstream not called), then half-opens after the delay and closes on success', async () => {
    upstream.answer((_request, response) => json(response, 500, {}));
    expect((await get()).statusCode).toBe(502);
    expect((await get()).statusCode).toBe(502);
    expect(await circuitState()).toBe(2);

    const refused = await get();
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ type: 'tag:nest-chassis,2026:problems/upstream-unavailable' });
    expect(refused.body).not.toMatch(/fake|127\.0\.0\.1/);
    expect(upstream.requests).toHaveLength(2);

    await sleep(350);
    upstream.answer((_request, response) => json(response, 200, { back: true }));
    const probe = await get();
    expect(probe.json()).toEqual({ status: 200, body: { back: true } });
    expect(upstream.requests).toHaveLength(3);
    expect(await circuitState()).toBe(0);
  });
});

describe('outbound HTTP client: readiness (e2e)', () => {
  const upstream = new UpstreamServer();
  let t: TestApp;

  beforeAll(async () => {
    await upstream.start();
    t = await bootTestApp({
      HEALTH_CACHE_SECONDS: '0',
      CIRCUIT_BREAKER_ENABLED: 'false',
      UPSTREAM_CRITICAL_URL: upstream.url,
      UPSTREAM_CRITICAL_READINESS: 'critical',
      UPSTREAM_CRITICAL_READINESS_PATH: '/healthz',
      UPSTREAM_OPTIONAL_URL: `${upstream.url}/optional`,
      UPSTREAM_OPTIONAL_READINESS: 'non-critical',
      UPSTREAM_UNCHECKED_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(async () => {
    await t?.close();
    await upstream.stop();
  });

  const ready = () => t.app.inject({ method: 'GET', url: '/health/ready' });

  it('is ready while the upstreams answer, probing each readiness path', async () => {
    upstream.answer((_request, response) => json(response, 200, {}));
    const response = await ready();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
    expect(Object.keys(response.json<{ checks: object }>().checks)).not.toContain('upstream:unchecked');
    expect(upstream.requests.map((request) => request.url).sort()).toEqual(['/healthz', '/optional/']);
  });

  it('reports a non-critical upstream down as degraded (200), a critical one as not ready (503)', async () => {
    upstream.answer((request, response) => json(response, request.url === '/healthz' ? 200 : 500, {}));
    expect((await ready()).json()).toMatchObject({ status: 'degraded' });
    upstream.answer((_request, response) => json(response, 503, {}));
    const response = await ready();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'error' });
  });

  it('lets features ask the registry for a client by name; an unknown name is an error naming the variable', () => {
    const clients = t.app.get(UpstreamClients);
    expect(clients.get('CRITICAL').name).toBe('critical');
    expect(() => clients.get('billing')).toThrow('UPSTREAM_BILLING_URL');
  });
});
