import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { runsOf } from '../support/jobs/jobs-test.module';
import { JobsPolicyTestModule, PolicyProcessors } from '../support/jobs/jobs-policy-test.module';
import { testRedisUrl, waitFor } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { redisTestRun } from '../support/jobs/redis-test-run';
import { bootTestApp, type TestApp } from '../support/test-app';

/** Every key of this run starts with it: other suites share the Redis. */
jest.setTimeout(30_000);

const runId = `jobs-shutdown-it-${process.pid}-${randomUUID().slice(0, 8)}`;

/** Short locks and stalled checks, so a dead worker's job is taken again within seconds. */
function redisEnv(test: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: 'sqlite::memory:',
    REDIS_URL: testRedisUrl(),
    JOBS_KEY_PREFIX: `${runId}-${test}`,
    JOBS_LOCK_DURATION_SECONDS: '1',
    JOBS_STALLED_INTERVAL_SECONDS: '0.5',
    ...overrides,
  };
}

const label = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

async function add(t: TestApp, queue: string, payload: Record<string, unknown>): Promise<string> {
  const response = await t.app.inject({ method: 'POST', url: `/jobs-policy/${queue}`, payload });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>().id;
}

const instanceOf = (t: TestApp) => t.app.get(PolicyProcessors.long!).instance as string;

describe('jobs on BullMQ: workers that stop mid-job, Redis that goes away (integration, real Redis)', () => {
  const { apps } = redisTestRun(runId);

  it('retries elsewhere a job whose worker died mid-job: its lock expires and another worker takes it (stalled job)', async () => {
    const redisUrl = new URL(testRedisUrl());
    const proxy = await new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379)).start();
    const viaProxy = Object.assign(new URL(redisUrl.href), { hostname: '127.0.0.1', port: String(proxy.port) }).href;
    try {
      // The doomed worker reaches Redis through the proxy: cutting it is that process dying (no lock renewal, no completion).
      const doomed = await bootTestApp(redisEnv('stalled', { REDIS_URL: viaProxy, HEALTH_CACHE_SECONDS: '0' }), {
        after: [JobsPolicyTestModule],
      });
      const name = label('cut-off');
      const jobId = await add(doomed, 'long', { label: name, workMs: 2500, signal: 'ignore-signal' });
      await waitFor('the doomed worker to start the job', () => runsOf(name).length === 1);
      const rescuer = await bootTestApp(redisEnv('stalled'), { after: [JobsPolicyTestModule] });
      apps.push(rescuer);
      await proxy.cut();

      await waitFor(
        'another worker to complete the job',
        () => runsOf(name).some((run) => run.instance === instanceOf(rescuer) && run.outcome === 'completed'),
        200,
      );
      const [first, second] = runsOf(name);
      expect(first!.instance).toBe(instanceOf(doomed));
      expect(second).toMatchObject({ jobId, instance: instanceOf(rescuer), outcome: 'completed' });
      // Taken again before the doomed attempt could have ended: it was cut off, not retried after a failure.
      expect(second!.startedAt).toBeLessThan(first!.startedAt + 2500);

      // Back on the network, the doomed process finds its lock gone: its late result is refused, not recorded.
      await proxy.restore();
      await waitFor(
        'the doomed process to reconnect',
        async () => (await doomed.app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200,
        200,
      );
      await doomed.close();
    } finally {
      await proxy.stop();
    }
  });

  it('shuts down mid-job under load: the active jobs finish before close() returns, none is lost, another instance takes the rest', async () => {
    const first = await bootTestApp(redisEnv('load'), { after: [JobsPolicyTestModule] });
    const names = Array.from({ length: 12 }, () => label('load'));
    await Promise.all(names.map((name) => add(first, 'long', { label: name, workMs: 400, signal: 'ignore-signal' })));
    await waitFor('the first instance to have two jobs active', () => names.filter((name) => runsOf(name).length > 0).length >= 2);
    const second = await bootTestApp(redisEnv('load'), { after: [JobsPolicyTestModule] });
    apps.push(second);

    await first.close();
    const closedAt = Date.now();
    const byFirst = names.flatMap((name) => runsOf(name)).filter((run) => run.instance === instanceOf(first));
    expect(byFirst.length).toBeGreaterThanOrEqual(2);
    for (const run of byFirst) {
      expect(run.outcome).toBe('completed');
      expect(run.finishedAt!).toBeLessThanOrEqual(closedAt);
    }

    await waitFor('every job to complete', () => names.every((name) => runsOf(name).some((run) => run.outcome === 'completed')), 400);
    // Each job ran exactly once: a graceful stop hands nothing over twice and loses nothing.
    for (const name of names) expect(runsOf(name)).toHaveLength(1);
    expect(names.flatMap((name) => runsOf(name)).some((run) => run.instance === instanceOf(second))).toBe(true);
  });

  it('survives Redis going down and back: jobs added before resume, and the route that adds jobs never answers 5xx but 503', async () => {
    const redisUrl = new URL(testRedisUrl());
    const proxy = await new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379)).start();
    const viaProxy = Object.assign(new URL(redisUrl.href), { hostname: '127.0.0.1', port: String(proxy.port) }).href;
    try {
      const t = await bootTestApp(redisEnv('outage', { REDIS_URL: viaProxy, HEALTH_CACHE_SECONDS: '0' }), {
        after: [JobsPolicyTestModule],
      });
      apps.push(t);
      // Two at once, 800 ms each: when Redis goes, two are active and two still waiting.
      const before = Array.from({ length: 4 }, () => label('before'));
      const ids: string[] = [];
      for (const name of before) ids.push(await add(t, 'long', { label: name, workMs: 800, signal: 'ignore-signal' }));
      await proxy.cut();
      try {
        // Never a 500, never a request held until the request timeout: a queue-unavailable 503 with Retry-After.
        const during = await t.app.inject({ method: 'POST', url: '/jobs-policy/long', payload: { label: label('during') } });
        expect(during.statusCode).toBe(503);
        expect(during.headers['retry-after']).toBe('5');
        expect(during.json()).toMatchObject({ type: 'tag:nest-chassis,2026:problems/queue-unavailable', status: 503 });
        expect(t.logs.lines.some((line) => line.level === 'error')).toBe(false);
      } finally {
        await proxy.restore();
      }
      const queue = new Queue('long', { connection: { url: testRedisUrl() }, prefix: `${runId}-outage` });
      try {
        await waitFor(
          'the jobs added before the outage to complete in Redis',
          async () => (await Promise.all(ids.map((id) => queue.getJobState(id)))).every((state) => state === 'completed'),
          400,
        );
      } finally {
        await queue.close();
      }
      const after = label('after');
      await waitFor(
        'the route to add jobs again',
        async () => (await t.app.inject({ method: 'POST', url: '/jobs-policy/long', payload: { label: after } })).statusCode === 201,
        200,
      );
      await waitFor('a job added after the outage to complete', () => runsOf(after).some((run) => run.outcome === 'completed'), 400);
    } finally {
      await Promise.all(apps.splice(0).map((app) => app.close()));
      await proxy.stop();
    }
  });
});
