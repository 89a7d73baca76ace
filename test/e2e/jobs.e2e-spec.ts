import { randomUUID } from 'node:crypto';
import { IN_PROCESS_WARNING } from '../../src/core/jobs/job-workers';
import { JobsTestModule, jobRuns, runsOf, TickJobsTestModule } from '../support/jobs/jobs-test.module';
import { find, parseSamples } from '../support/prometheus-text';
import { waitFor } from '../support/redis-server';
import { ConfigValidationError } from '../../src/core/config/config.error';
import { bootTestApp, productionTestEnv, type TestApp } from '../support/test-app';

/** A label no other test uses. */
const label = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

async function addProbe(t: TestApp, payload: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/jobs-test/probe', payload, headers });
}

describe('jobs on the in-process engine (e2e, zero infrastructure)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp({ JOBS_ATTEMPTS: '4' }, { after: [JobsTestModule] });
  });
  afterAll(() => t?.close());

  it('warns once at boot that jobs are not durable', () => {
    expect(t.logs.withMessage(IN_PROCESS_WARNING)).toHaveLength(1);
    expect(t.logs.withMessage(IN_PROCESS_WARNING)[0]!.level).toBe('warn');
  });

  it('runs a job added by a request, every line of it carrying the job and the request ids', async () => {
    const name = label('context');
    const response = await addProbe(t, { label: name }, { 'x-correlation-id': 'order-7781' });
    expect(response.statusCode).toBe(201);
    const { id } = response.json<{ id: string }>();
    await waitFor('the job to complete', () => runsOf(name).some((run) => run.outcome === 'completed'));

    const lines = t.logs.lines.filter((line) => line.jobId === id);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['probe job running', 'Job completed']));
    for (const line of lines) {
      expect(line).toMatchObject({
        queue: 'probe',
        jobId: id,
        attempt: 1,
        requestId: response.headers['x-request-id'],
        correlationId: 'order-7781',
      });
    }
  });

  it('retries a failing job with growing back-off delays (queue defaults over JOBS_ATTEMPTS)', async () => {
    const name = label('flaky');
    expect((await addProbe(t, { label: name, failTimes: 2 })).statusCode).toBe(201);
    await waitFor('the third attempt to complete', () => runsOf(name).some((run) => run.outcome === 'completed'), 400);

    const runs = runsOf(name);
    expect(runs.map((run) => [run.attempt, run.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    // Exponential back-off with base 0.4 s and jitter 0.5: the n-th wait is within [0.4 * 2^(n-1) / 2, 0.4 * 2^(n-1)] s.
    const firstWait = runs[1]!.startedAt - runs[0]!.finishedAt!;
    const secondWait = runs[2]!.startedAt - runs[1]!.finishedAt!;
    expect(firstWait).toBeGreaterThanOrEqual(190);
    expect(secondWait).toBeGreaterThanOrEqual(390);
  });

  it('keeps a job that used all its attempts in the failed set, and retries it on demand', async () => {
    const name = label('doomed');
    const { id } = (await addProbe(t, { label: name, failTimes: 100 })).json<{ id: string }>();
    await waitFor(
      'the job to land in the failed set',
      async () => {
        const failed = (await t.app.inject({ method: 'GET', url: '/jobs-test/failed' })).json<{ id: string }[]>();
        return failed.some((job) => job.id === id);
      },
      400,
    );
    expect(runsOf(name).map((run) => run.attempt)).toEqual([1, 2, 3]);
    const failed = (await t.app.inject({ method: 'GET', url: '/jobs-test/failed' })).json<Record<string, unknown>[]>();
    expect(failed.find((job) => job.id === id)).toMatchObject({
      id,
      payload: { label: name, failTimes: 100 },
      attemptsMade: 3,
      failedReason: 'planned failure 3',
    });
    expect(t.logs.lines.filter((line) => line.jobId === id && line.msg === 'Job failed')).toHaveLength(1);

    const retry = await t.app.inject({ method: 'POST', url: `/jobs-test/failed/${id}/retry` });
    expect(retry.json()).toEqual({ retried: true });
    await waitFor('the retried job to run again', () => runsOf(name).length >= 4);
    expect(runsOf(name)[3]!.attempt).toBe(1);
    // Its three new attempts fail too: wait for the last, so no run of it lands in a later test's count.
    await waitFor('the retried job to fail for good again', () => runsOf(name).length === 6 && runsOf(name)[5]!.outcome === 'failed', 400);
    expect((await t.app.inject({ method: 'POST', url: '/jobs-test/failed/no-such-job/retry' })).json()).toEqual({ retried: false });
  });

  it('refuses an invalid payload with a 400 problem naming the fields, and stores nothing', async () => {
    const before = jobRuns.length;
    const response = await addProbe(t, { failTimes: 'twice', extra: true });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json<{ detail: string; errors: { pointer: string }[] }>();
    expect(problem.detail).toMatch(/queue "probe"/);
    expect([...new Set(problem.errors.map((error) => error.pointer))].sort()).toEqual(['#/extra', '#/failTimes', '#/label']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(jobRuns.length).toBe(before);
  });

  it('counts attempts and jobs in its metrics', async () => {
    const samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    expect(find(samples, 'queue_jobs_processed_total', { queue: 'probe', status: 'retried' })[0]?.value).toBeGreaterThanOrEqual(2);
    expect(find(samples, 'queue_jobs_processed_total', { queue: 'probe', status: 'completed' })[0]?.value).toBeGreaterThanOrEqual(2);
    expect(find(samples, 'queue_jobs_processed_total', { queue: 'probe', status: 'failed' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'queue_job_duration_seconds_count', { queue: 'probe', status: 'completed' })[0]?.value).toBeGreaterThanOrEqual(2);
    expect(find(samples, 'queue_jobs', { queue: 'probe', state: 'waiting' })).toHaveLength(1);
    expect(find(samples, 'queue_jobs', { queue: 'probe', state: 'failed' })[0]?.value).toBeGreaterThanOrEqual(0);
  });
});

describe('schedules and roles on the in-process engine (e2e)', () => {
  it('runs a schedule every N seconds', async () => {
    const t = await bootTestApp({}, { after: [TickJobsTestModule] });
    try {
      const before = runsOf('tick').length;
      await waitFor('two scheduled runs', () => runsOf('tick').length >= before + 2, 100);
    } finally {
      await t.close();
    }
  });

  it('with PROCESS_ROLE=api adds jobs but runs none', async () => {
    const t = await bootTestApp({ PROCESS_ROLE: 'api' }, { after: [JobsTestModule] });
    try {
      const name = label('api-only');
      expect((await addProbe(t, { label: name })).statusCode).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(runsOf(name)).toHaveLength(0);
      const samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
      expect(find(samples, 'queue_jobs', { queue: 'probe', state: 'waiting' })[0]?.value).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe('jobs in production (e2e)', () => {
  it('refuses to start with a queue declared and no REDIS_URL, naming REDIS_URL', async () => {
    const boot = bootTestApp(productionTestEnv(), { after: [JobsTestModule] });
    await expect(boot).rejects.toBeInstanceOf(ConfigValidationError);
    await expect(boot).rejects.toThrow(/- REDIS_URL: queue "probe" is declared/);
  });

  it('starts in production without REDIS_URL when no queue is declared', async () => {
    const t = await bootTestApp(productionTestEnv());
    await t.close();
  });
});
