import { randomUUID } from 'node:crypto';
import { JobsTestModule, ProbeProcessor, runsOf, TickJobsTestModule, TickProcessor } from '../support/jobs/jobs-test.module';
import { testRedisUrl, waitFor } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { redisTestRun } from '../support/jobs/redis-test-run';
import { bootTestApp, bootTestReplicas, type TestApp } from '../support/test-app';

/** Every key of this run starts with it: other suites share the Redis. */
const runId = `jobs-it-${process.pid}-${randomUUID().slice(0, 8)}`;

/** An environment on the shared Redis with a BullMQ key prefix of the test's own, so no test sees another's queues. */
function redisEnv(test: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: 'sqlite::memory:', REDIS_URL: testRedisUrl(), JOBS_KEY_PREFIX: `${runId}-${test}`, ...overrides };
}

const label = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

async function addProbe(t: TestApp, payload: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await t.app.inject({ method: 'POST', url: '/jobs-test/probe', payload, headers });
  expect(response.statusCode).toBe(201);
  return response;
}

describe('jobs on BullMQ (integration, real Redis)', () => {
  const { apps } = redisTestRun(runId);

  it('retries with back-off, keeps the failed set, retries on demand, and carries the request ids', async () => {
    const t = await bootTestApp(redisEnv('retries'), { after: [JobsTestModule] });
    apps.push(t);
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.json<{ checks: Record<string, { status: string; critical: boolean }> }>().checks.jobs).toMatchObject({
      status: 'up',
      critical: true,
    });

    const flaky = label('flaky');
    const added = await addProbe(t, { label: flaky, failTimes: 2 }, { 'x-correlation-id': 'order-redis-1' });
    const doomed = label('doomed');
    const { id: doomedId } = (await addProbe(t, { label: doomed, failTimes: 100 })).json<{ id: string }>();

    await waitFor('the flaky job to complete', () => runsOf(flaky).some((run) => run.outcome === 'completed'), 400);
    const runs = runsOf(flaky);
    expect(runs.map((run) => [run.attempt, run.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    expect(runs[1]!.startedAt - runs[0]!.finishedAt!).toBeGreaterThanOrEqual(190);
    expect(runs[2]!.startedAt - runs[1]!.finishedAt!).toBeGreaterThanOrEqual(390);
    const jobId = added.json<{ id: string }>().id;
    const lines = t.logs.lines.filter((line) => line.jobId === jobId && line.msg === 'probe job running');
    expect(lines.map((line) => line.attempt)).toEqual([1, 2, 3]);
    for (const line of lines)
      expect(line).toMatchObject({ queue: 'probe', correlationId: 'order-redis-1', requestId: added.headers['x-request-id'] });

    await waitFor(
      'the doomed job to land in the failed set',
      async () => {
        const failed = (await t.app.inject({ method: 'GET', url: '/jobs-test/failed' })).json<{ id: string }[]>();
        return failed.some((job) => job.id === doomedId);
      },
      400,
    );
    const failed = (await t.app.inject({ method: 'GET', url: '/jobs-test/failed' })).json<Record<string, unknown>[]>();
    expect(failed.find((job) => job.id === doomedId)).toMatchObject({
      attemptsMade: 3,
      failedReason: 'planned failure 3',
      payload: { label: doomed },
    });
    expect((await t.app.inject({ method: 'POST', url: `/jobs-test/failed/${doomedId}/retry` })).json()).toEqual({ retried: true });
    await waitFor('the retried job to run again', () => runsOf(doomed).length >= 4, 400);
    expect(runsOf(doomed)[3]!.attempt).toBe(1);
  });

  it('runs a schedule once per tick with three replicas', async () => {
    const started = Date.now();
    const replicas = await bootTestReplicas(3, redisEnv('schedule'), { after: [TickJobsTestModule] });
    apps.push(...replicas);
    const instances = new Set<string>(replicas.map((replica) => replica.app.get(TickProcessor).instance));
    const ours = () => runsOf('tick').filter((run) => instances.has(run.instance) && run.startedAt >= started);
    await waitFor('four scheduled runs', () => ours().length >= 4, 200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const runs = ours();
    const elapsedSeconds = (Date.now() - started) / 1000;
    // One job per tick (every second) for the cluster, each run once: three per tick would be three schedulers.
    expect(new Set(runs.map((run) => run.jobId)).size).toBe(runs.length);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 1);
  });

  it('boots and serves with Redis unreachable, and stores its schedule once Redis connects', async () => {
    const redisUrl = new URL(testRedisUrl());
    const proxy = await new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379)).start();
    await proxy.cut();
    try {
      const viaProxy = Object.assign(new URL(redisUrl.href), { hostname: '127.0.0.1', port: String(proxy.port) }).href;
      // Before the fix, boot waited here for ever: BullMQ holds the scheduler's command until Redis connects.
      const t = await bootTestApp(redisEnv('late-redis', { REDIS_URL: viaProxy, JOBS_ADD_TIMEOUT_SECONDS: '0.3' }), {
        after: [TickJobsTestModule],
      });
      apps.push(t);
      expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      const deferred = t.logs
        .withMessage('Redis does not answer yet: the schedule is stored once it does; this process serves meanwhile')
        .filter((line) => line.queue === 'tick');
      expect(deferred).toEqual([expect.objectContaining({ level: 'warn', schedule: 'every-second' })]);

      await proxy.restore();
      const instance = t.app.get(TickProcessor).instance;
      await waitFor('a scheduled run once Redis connected', () => runsOf('tick').some((run) => run.instance === instance), 200);
      expect(t.logs.withMessage('Schedule stored').filter((line) => line.queue === 'tick')).toEqual([
        expect.objectContaining({ level: 'info', schedule: 'every-second' }),
      ]);
    } finally {
      await Promise.all(apps.splice(0).map((app) => app.close()));
      await proxy.stop();
    }
  });

  it('shares the work between a PROCESS_ROLE=api process and a PROCESS_ROLE=worker process', async () => {
    const api = await bootTestApp(redisEnv('roles', { PROCESS_ROLE: 'api' }), { after: [JobsTestModule] });
    apps.push(api);
    const worker = await bootTestApp(redisEnv('roles', { PROCESS_ROLE: 'worker' }), { after: [JobsTestModule] });
    apps.push(worker);
    const names = [label('roles'), label('roles'), label('roles')];
    for (const name of names) await addProbe(api, { label: name });
    await waitFor('the worker to run every job', () => names.every((name) => runsOf(name).some((run) => run.outcome === 'completed')), 200);
    const workerInstance = worker.app.get(ProbeProcessor).instance;
    expect(names.flatMap((name) => runsOf(name)).every((run) => run.instance === workerInstance)).toBe(true);
  });

  it('lets the active job finish before the app closes', async () => {
    const t = await bootTestApp(redisEnv('shutdown'), { after: [JobsTestModule] });
    const name = label('slow');
    await addProbe(t, { label: name, workMs: 1500, signal: 'ignore-signal' });
    await waitFor('the job to start', () => runsOf(name).length > 0);
    await t.close();
    const closedAt = Date.now();
    const [run] = runsOf(name);
    expect(run!.outcome).toBe('completed');
    expect(run!.finishedAt!).toBeLessThanOrEqual(closedAt);
    expect(t.logs.lines.some((line) => line.jobId === run!.jobId && line.msg === 'Job completed')).toBe(true);
  });

  it('reports the queue connection in readiness: 503 while Redis is unreachable (JOBS_CRITICAL), and jobs resume after', async () => {
    const redisUrl = new URL(testRedisUrl());
    const proxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    await proxy.start();
    try {
      const viaProxy = Object.assign(new URL(redisUrl.href), { hostname: '127.0.0.1', port: String(proxy.port) }).href;
      const t = await bootTestApp(
        redisEnv('outage', { REDIS_URL: viaProxy, HEALTH_CACHE_SECONDS: '0', HEALTH_CHECK_TIMEOUT_SECONDS: '1' }),
        {
          after: [JobsTestModule],
        },
      );
      apps.push(t);
      const checks = async () => {
        const response = await t.app.inject({ method: 'GET', url: '/health/ready' });
        return {
          status: response.statusCode,
          checks: response.json<{ checks: Record<string, { status: string; critical: boolean }> }>().checks,
        };
      };
      await waitFor('readiness with the queue connection up', async () => (await checks()).status === 200);
      await proxy.cut();
      try {
        await waitFor('readiness 503 with the queue connection down', async () => (await checks()).status === 503, 100);
        const down = await checks();
        expect(down.checks.jobs).toEqual({ status: 'down', critical: true });
        expect(down.checks.redis).toEqual({ status: 'down', critical: false });
        // In the chassis's log format, not written to the console by BullMQ.
        // Every queue of the app logs its own (the chassis's domain events queues too): the probe queue's is among them.
        const probeErrors = () =>
          t.logs
            .withMessage('Job queue connection error; reconnecting (logged once until it connects)')
            .filter((line) => line.queue === 'probe');
        await waitFor('the queue connection error in the log', () => probeErrors().length > 0);
        expect(probeErrors()[0]).toMatchObject({ level: 'warn', queue: 'probe' });
        // BullMQ reconnects about every second: still one line for the whole outage.
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        expect(probeErrors()).toHaveLength(1);
      } finally {
        await proxy.restore();
      }
      await waitFor('readiness back to 200', async () => (await checks()).status === 200, 200);
      const backAgain = () => t.logs.withMessage('Job queue connected again').filter((line) => line.queue === 'probe');
      await waitFor('the queue connection back in the log', () => backAgain().length > 0);
      expect(backAgain()).toEqual([expect.objectContaining({ level: 'info', queue: 'probe' })]);
      const name = label('after-outage');
      await addProbe(t, { label: name });
      await waitFor('a job added after the outage to complete', () => runsOf(name).some((run) => run.outcome === 'completed'), 400);
    } finally {
      await Promise.all(apps.splice(0).map((app) => app.close()));
      await proxy.stop();
    }
  });
});
