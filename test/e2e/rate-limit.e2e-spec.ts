import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { expectPipelineHeaders, expectProblem } from '../support/pipeline-assertions';
import { PIPELINE_TEST_ENV, PipelineTestModule } from '../support/pipeline-test.module';
import { bootTestApp, type TestApp } from '../support/test-app';

/** The value of a counter on the app's registry, for one label set. */
async function counter(t: TestApp, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await t.app.get<Registry>(METRICS_REGISTRY).getSingleMetric(name)!.get();
  const match = metric.values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label));
  return match?.value ?? 0;
}

describe('rate limiting (e2e)', () => {
  describe('the guard, in memory', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp(
        { ...PIPELINE_TEST_ENV, RATE_LIMIT_LIMIT: '3', RATE_LIMIT_WINDOW_SECONDS: '60', CORS_ORIGINS: 'https://app.example.com' },
        { after: [PipelineTestModule] },
      );
    });
    afterAll(async () => t.close());

    let address = 0;
    /** A fresh client address per test, so tests do not share buckets. */
    const newClient = () => `198.51.100.${++address}`;
    /**
     * GET from a client address. `x-test-subject` names the caller: it becomes
     * a real bearer token for that subject, verified by the real auth guard.
     */
    const get = (url: string, remoteAddress: string, headers: Record<string, string> = {}) => {
      const { 'x-test-subject': subject, ...rest } = headers;
      const auth = subject ? t.authHeader({ sub: subject, scope: 'items:read' }) : {};
      return t.app.inject({ method: 'GET', url, remoteAddress, headers: { ...rest, ...auth } });
    };

    it('sends the RateLimit headers and refuses the request over the limit with a 429 problem', async () => {
      const client = newClient();
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const ok = await get('/pipeline-test/context', client);
        expect(ok.statusCode).toBe(200);
        expect(ok.headers['ratelimit-limit']).toBe('3');
        expect(ok.headers['ratelimit-policy']).toBe('3;w=60');
        expect(Number(ok.headers['ratelimit-reset'])).toBeGreaterThan(0);
        remaining.push(String(ok.headers['ratelimit-remaining']));
      }
      expect(remaining).toEqual(['2', '1', '0']);

      const refused = await get('/pipeline-test/context', client, { origin: 'https://app.example.com', 'x-correlation-id': 'corr-429' });
      const body = expectProblem(refused, 429);
      expect(body).toMatchObject({ type: 'tag:nest-chassis,2026:problems/rate-limited', correlationId: 'corr-429' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.headers['ratelimit-remaining']).toBe('0');
      expectPipelineHeaders(refused);
      // The browser may read the 429: CORS headers were added before the guard refused.
      expect(refused.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(await counter(t, 'rate_limit_rejections_total', { policy: 'default' })).toBeGreaterThanOrEqual(1);
    });

    it('counts the default policy per client across routes', async () => {
      const client = newClient();
      await get('/pipeline-test/context', client);
      await get('/pipeline-test/context', client);
      await get('/pipeline-test/context?limit=1', client);
      expect((await get('/pipeline-test/context', client)).statusCode).toBe(429);
      expect((await get('/pipeline-test/context', newClient())).statusCode).toBe(200);
    });

    it('limits an authenticated caller by subject, not by address', async () => {
      const shared = newClient();
      for (let i = 0; i < 3; i++) expect((await get('/items', shared, { 'x-test-subject': 'alice' })).statusCode).toBe(200);
      expect((await get('/items', shared, { 'x-test-subject': 'alice' })).statusCode).toBe(429);
      // Alice from another address: still her bucket.
      expect((await get('/items', newClient(), { 'x-test-subject': 'alice' })).statusCode).toBe(429);
      // Bob and an anonymous caller behind the same address have their own buckets.
      expect((await get('/items', shared, { 'x-test-subject': 'bob' })).statusCode).toBe(200);
      expect((await get('/pipeline-test/context', shared)).statusCode).toBe(200);
    });

    it('applies a named policy, one bucket shared by its routes', async () => {
      const client = newClient();
      await get('/pipeline-test/login', client);
      await get('/pipeline-test/login-too', client);
      const third = await get('/pipeline-test/login', client);
      expect(third.headers['ratelimit-policy']).toBe('3;w=60');
      expect(third.statusCode).toBe(200);
      expect((await get('/pipeline-test/login-too', client)).statusCode).toBe(429);
      expect(await counter(t, 'rate_limit_rejections_total', { policy: 'login' })).toBe(1);
      // The default policy's bucket was not used by the login routes.
      expect((await get('/pipeline-test/context', client)).headers['ratelimit-remaining']).toBe('2');
    });

    it('applies a per-route @Throttle() override in its own bucket', async () => {
      const client = newClient();
      expect((await get('/pipeline-test/route-limited', client)).headers['ratelimit-policy']).toBe('2;w=60');
      expect((await get('/pipeline-test/route-limited', client)).statusCode).toBe(200);
      expect((await get('/pipeline-test/route-limited', client)).statusCode).toBe(429);
      expect(await counter(t, 'rate_limit_rejections_total', { policy: 'route' })).toBe(1);
    });

    it('does not limit a @SkipThrottle() route, nor send RateLimit headers there', async () => {
      const client = newClient();
      for (let i = 0; i < 5; i++) {
        const response = await get('/pipeline-test/unlimited', client);
        expect(response.statusCode).toBe(200);
        expect(response.headers['ratelimit-limit']).toBeUndefined();
      }
    });

    it('ignores X-Forwarded-For without a trusted proxy: spoofed addresses share the peer’s bucket', async () => {
      const client = newClient();
      for (let i = 0; i < 3; i++) {
        expect((await get('/pipeline-test/context', client, { 'x-forwarded-for': `203.0.113.${i}` })).statusCode).toBe(200);
      }
      expect((await get('/pipeline-test/context', client, { 'x-forwarded-for': '203.0.113.99' })).statusCode).toBe(429);
    });
  });

  describe('behind a trusted proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ ...PIPELINE_TEST_ENV, TRUST_PROXY: '10.0.0.0/8', RATE_LIMIT_LIMIT: '2' }, { after: [PipelineTestModule] });
    });
    afterAll(async () => t.close());

    const viaProxy = (forwardedFor: string) =>
      t.app.inject({
        method: 'GET',
        url: '/pipeline-test/context',
        remoteAddress: '10.0.0.5',
        headers: { 'x-forwarded-for': forwardedFor },
      });

    it('limits by the client the proxy saw; prepended addresses do not pick another bucket', async () => {
      expect((await viaProxy('203.0.113.50')).statusCode).toBe(200);
      expect((await viaProxy('1.1.1.1, 203.0.113.50')).statusCode).toBe(200);
      expect((await viaProxy('8.8.8.8, 9.9.9.9, 203.0.113.50')).statusCode).toBe(429);
      expect((await viaProxy('203.0.113.51')).statusCode).toBe(200);
    });
  });

  describe('the pre-authentication limit', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp(
        { ...PIPELINE_TEST_ENV, RATE_LIMIT_PRE_AUTH_LIMIT: '4', RATE_LIMIT_LIMIT: '1000' },
        { after: [PipelineTestModule] },
      );
    });
    afterAll(async () => t.close());

    it('refuses a flood from one address before routing, even on exempt and unknown routes', async () => {
      const flood = (url: string) =>
        t.app.inject({ method: 'GET', url, remoteAddress: '192.0.2.77', headers: t.authHeader({ scope: 'items:read' }) });
      expect((await flood('/pipeline-test/unlimited')).statusCode).toBe(200);
      expect((await flood('/nowhere')).statusCode).toBe(404);
      expect((await flood('/items')).statusCode).toBe(200);
      expect((await flood('/pipeline-test/unlimited')).statusCode).toBe(200);
      const refused = await flood('/pipeline-test/unlimited');
      const body = expectProblem(refused, 429);
      expect(body.detail).toContain('from this address');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expectPipelineHeaders(refused);
      expect(await counter(t, 'rate_limit_rejections_total', { policy: 'pre-auth' })).toBe(1);
      // Another address is unaffected.
      expect((await t.app.inject({ method: 'GET', url: '/pipeline-test/unlimited', remoteAddress: '192.0.2.78' })).statusCode).toBe(200);
    });

    it('never limits the probes nor the metrics scrape, even from a flooding address', async () => {
      const from = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: '192.0.2.90' });
      for (let i = 0; i < 4; i++) expect((await from('/nowhere')).statusCode).toBe(404);
      expect((await from('/nowhere')).statusCode).toBe(429);
      for (let i = 0; i < 10; i++) {
        for (const url of ['/health/live', '/health/ready', '/health/startup', '/metrics']) {
          expect([url, (await from(url)).statusCode]).toEqual([url, 200]);
        }
      }
    });
  });

  describe('turned off', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_LIMIT: '1', RATE_LIMIT_PRE_AUTH_LIMIT: '1' });
    });
    afterAll(async () => t.close());

    it('neither limits nor sends headers', async () => {
      for (let i = 0; i < 3; i++) {
        const response = await t.app.inject({ method: 'GET', url: '/items', headers: t.authHeader({ scope: 'items:read' }) });
        expect(response.statusCode).toBe(200);
        expect(response.headers['ratelimit-limit']).toBeUndefined();
      }
    });
  });

  describe('boot checks', () => {
    it('refuses a @RateLimitPolicy() name that is not configured', async () => {
      await expect(bootTestApp({}, { after: [PipelineTestModule] })).rejects.toThrow(/no policy "login" is configured/);
    });
  });
});
