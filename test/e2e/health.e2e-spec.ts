import { HealthCheckRegistry, HealthIndicatorService } from '../../src/core';
import { LifecycleState } from '../../src/core/lifecycle/lifecycle-state';
import { find, parseSamples } from '../support/prometheus-text';
import { bootTestApp, type TestApp } from '../support/test-app';

type Body = { status: string; checks: Record<string, Record<string, unknown>> };

async function get(t: TestApp, url: string): Promise<{ status: number; body: Body }> {
  const response = await t.app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json<Body>() };
}

describe('health probes (e2e)', () => {
  describe('with defaults', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ HEALTH_CACHE_SECONDS: '0' });
    });
    afterAll(async () => t.close());

    it('answers liveness without checking dependencies', async () => {
      expect(await get(t, '/health/live')).toEqual({ status: 200, body: { status: 'ok', checks: {} } });
    });

    it('answers readiness with the database up, hiding details', async () => {
      expect(await get(t, '/health/ready')).toEqual({
        status: 200,
        // The cache's own check (memory store: always up, not critical).
        body: { status: 'ok', checks: { database: { status: 'up', critical: true }, cache: { status: 'up', critical: false } } },
      });
    });

    it('answers startup once bootstrapped and migrated', async () => {
      const { status, body } = await get(t, '/health/startup');
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
    });

    it('reports a failing non-critical check as degraded but still ready, and a critical one as 503', async () => {
      const registry = t.app.get(HealthCheckRegistry);
      const indicator = t.app.get(HealthIndicatorService);
      registry.addReadinessCheck({
        name: 'search',
        critical: false,
        check: async () => indicator.check('search').down({ message: 'search index down' }),
      });
      const degraded = await get(t, '/health/ready');
      expect(degraded).toEqual({
        status: 200,
        body: {
          status: 'degraded',
          checks: {
            database: { status: 'up', critical: true },
            cache: { status: 'up', critical: false },
            search: { status: 'down', critical: false },
          },
        },
      });

      registry.addReadinessCheck({ name: 'payments', check: () => Promise.reject(new Error('connection refused')) });
      const failing = await get(t, '/health/ready');
      expect(failing.status).toBe(503);
      expect(failing.body).toEqual({
        status: 'error',
        checks: {
          database: { status: 'up', critical: true },
          cache: { status: 'up', critical: false },
          search: { status: 'down', critical: false },
          payments: { status: 'down', critical: true },
        },
      });
      // Liveness does not care.
      expect((await get(t, '/health/live')).status).toBe(200);

      const metrics = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
      expect(find(metrics, 'health_check_status', { check: 'payments' }).map((s) => s.value)).toEqual([0]);
      expect(find(metrics, 'health_check_status', { check: 'database' }).map((s) => s.value)).toEqual([1]);
      expect(find(metrics, 'health_readiness_status').map((s) => s.value)).toEqual([0]);
    });

    it('refuses a second check with the same name', () => {
      expect(() => t.app.get(HealthCheckRegistry).addReadinessCheck({ name: 'database', check: async () => undefined })).toThrow(
        /already registered/,
      );
    });
  });

  describe('timeouts, parallelism, caching and details', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ HEALTH_DETAILS: 'true', HEALTH_CHECK_TIMEOUT_SECONDS: '0.2', HEALTH_CACHE_SECONDS: '60' });
    });
    afterAll(async () => t.close());

    it('runs checks in parallel, each under its own time limit, and caches the result', async () => {
      const registry = t.app.get(HealthCheckRegistry);
      // Each of these two resolves only once both have started: run one after the other, they would time out.
      let started = 0;
      let release!: () => void;
      const bothStarted = new Promise<void>((resolve) => (release = resolve));
      const rendezvous = async () => {
        if (++started === 2) release();
        await bothStarted;
      };
      let calls = 0;
      registry.addReadinessCheck({ name: 'left', check: rendezvous, timeoutSeconds: 30 });
      registry.addReadinessCheck({ name: 'right', check: rendezvous, timeoutSeconds: 30 });
      registry.addReadinessCheck({ name: 'hangs', critical: false, check: () => new Promise(() => undefined) });
      registry.addReadinessCheck({
        name: 'counted',
        critical: false,
        check: async () => {
          calls++;
        },
      });

      const first = await get(t, '/health/ready');
      expect(first.status).toBe(200);
      expect(first.body.status).toBe('degraded');
      expect(first.body.checks.left).toMatchObject({ status: 'up', critical: true, durationMs: expect.any(Number) });
      expect(first.body.checks.right).toMatchObject({ status: 'up' });
      expect(first.body.checks.hangs).toMatchObject({ status: 'down', critical: false, error: 'timed out after 0.2 s' });

      const [second, third] = await Promise.all([get(t, '/health/ready'), get(t, '/health/ready')]);
      expect(second.body).toEqual(first.body);
      expect(third.body).toEqual(first.body);
      expect(calls).toBe(1);
    });

    it('shows the indicator details and error messages with HEALTH_DETAILS=true', async () => {
      const startup = await get(t, '/health/startup');
      expect(startup.body.checks.migrations).toMatchObject({ status: 'up', durationMs: expect.any(Number) });
    });
  });

  describe('startup warm-up and shutdown', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp();
    });
    afterAll(async () => t.close());

    it('answers 503 on startup until every warm-up task has finished', async () => {
      let finish!: () => void;
      t.app.get(HealthCheckRegistry).addWarmUp('reference-data', new Promise<void>((resolve) => (finish = resolve)));
      const pending = await get(t, '/health/startup');
      expect(pending).toEqual({
        status: 503,
        body: {
          status: 'error',
          checks: {
            bootstrap: { status: 'up', critical: true },
            migrations: { status: 'up', critical: true },
            'warm-up:reference-data': { status: 'down', critical: true },
          },
        },
      });
      finish();
      await Promise.resolve();
      expect((await get(t, '/health/startup')).status).toBe(200);
    });

    it('answers 503 on readiness as soon as the drain starts, while liveness stays 200', async () => {
      expect((await get(t, '/health/ready')).status).toBe(200);
      t.app.get(LifecycleState).beginDrain();
      expect(await get(t, '/health/ready')).toEqual({ status: 503, body: { status: 'shutting_down', checks: {} } });
      expect((await get(t, '/health/live')).status).toBe(200);
    });
  });
});
