import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { runsOf } from '../support/jobs/jobs-test.module';
import { JobsPolicyTestModule, PolicyProcessors, running } from '../support/jobs/jobs-policy-test.module';
import { testRedisUrl, waitFor } from '../support/redis-server';
import { redisTestRun } from '../support/jobs/redis-test-run';
import { bootTestApp, type TestApp } from '../support/test-app';

/** Every key of this run starts with it: other suites share the Redis. */
const runId = `jobs-policies-it-${process.pid}-${randomUUID().slice(0, 8)}`;

function redisEnv(test: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: 'sqlite::memory:', REDIS_URL: testRedisUrl(), JOBS_KEY_PREFIX: `${runId}-${test}`, ...overrides };
}

const label = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

async function add(t: TestApp, queue: string, payload: Record<string, unknown>): Promise<string> {
  const response = await t.app.inject({ method: 'POST', url: `/jobs-policy/${queue}`, payload });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string }>().id;
}

const completed = (name: string) => runsOf(name).some((run) => run.outcome === 'completed');

describe('jobs on BullMQ: per-queue policies (integration, real Redis)', () => {
  const { apps } = redisTestRun(runId);

  it('runs at most the queue concurrency at once in one process, and reaches it', async () => {
    const t = await bootTestApp(redisEnv('concurrency'), { after: [JobsPolicyTestModule] });
    apps.push(t);
    const names = Array.from({ length: 9 }, () => label('bounded'));
    await Promise.all(names.map((name) => add(t, 'bounded', { label: name, workMs: 300 })));
    await waitFor('every bounded job to complete', () => names.every(completed), 400);
    const instance = t.app.get(PolicyProcessors.bounded!).instance as string;
    expect(running.get(`bounded:${instance}`)!.most).toBe(3);
  });

  it('starts at most rateLimit.max jobs per window (BullMQ limiter), whatever the concurrency', async () => {
    const t = await bootTestApp(redisEnv('rate-limit'), { after: [JobsPolicyTestModule] });
    apps.push(t);
    const names = Array.from({ length: 9 }, () => label('limited'));
    await Promise.all(names.map((name) => add(t, 'limited', { label: name })));
    await waitFor('every limited job to complete', () => names.every(completed), 200);
    const starts = names.map((name) => runsOf(name)[0]!.startedAt).sort((a, b) => a - b);
    // 3 per 1 s window: the 4th start after any start is at least a window later (less the clocks' rounding).
    for (let i = 0; i + 3 < starts.length; i++) expect(starts[i + 3]! - starts[i]!).toBeGreaterThanOrEqual(900);
  });

  it('keeps the last JOBS_KEEP_COMPLETED completed jobs and the last keepFailed failed ones', async () => {
    const prefix = `${runId}-removal`;
    const t = await bootTestApp(redisEnv('removal', { JOBS_KEEP_COMPLETED: '2' }), { after: [JobsPolicyTestModule] });
    apps.push(t);
    const good = Array.from({ length: 5 }, () => label('kept-ok'));
    const bad = Array.from({ length: 3 }, () => label('kept-bad'));
    for (const name of good) await add(t, 'kept', { label: name });
    for (const name of bad) await add(t, 'kept', { label: name, failTimes: 1 });
    await waitFor('every kept job to run', () => [...good, ...bad].every((name) => runsOf(name)[0]?.finishedAt !== undefined), 200);
    const queue = new Queue('kept', { connection: { url: testRedisUrl() }, prefix });
    try {
      await waitFor('the removal policy to apply', async () => {
        const counts = await queue.getJobCounts('completed', 'failed');
        return counts.completed === 2 && counts.failed === 1;
      });
      const [lastFailed] = await queue.getFailed(0, 0);
      expect((lastFailed!.data as { payload: { label: string } }).payload.label).toBe(bad[2]);
    } finally {
      await queue.close();
    }
  });
});
