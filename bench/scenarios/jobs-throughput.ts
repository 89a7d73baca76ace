import { join } from 'node:path';
import type { Bench } from '../bench';
import { randomSecret } from '../identity';
import { round } from '../measurement';
import { productionEnv, settings } from '../settings';
import { answers, deleteRedisKeys, measuredInProcess, median } from '../support';

/** What one process of bench/servers/jobs-bench.js reports. */
interface JobsRun {
  jobs: number;
  seconds: number;
  cpuMicroseconds: number;
}

const MODES = ['raw BullMQ', 'chassis (BullMQ)', 'chassis (in-process)'] as const;
type Mode = (typeof MODES)[number];
const MODE_ARG: Record<Mode, string> = { 'raw BullMQ': 'raw', 'chassis (BullMQ)': 'chassis', 'chassis (in-process)': 'in-process' };

/** Counted jobs per run, after {@link WARM_UP_JOBS} that are not (the code they run is compiled, the heap grows to its working size). */
const JOBS = 20_000;
const WARM_UP_JOBS = 15_000;
const CONCURRENCY = 10;

/**
 * `npm run bench -- --jobs`: no-op jobs processed per second and CPU per job
 * through the chassis's wrapper against a bare BullMQ worker on the same Redis
 * (target: the wrapper costs <= 15 % CPU per job), and the in-process engine
 * for reference. Each measurement is a fresh process (bench/servers/jobs-bench.js),
 * in rounds with the order turning, like the HTTP scenarios.
 */
export async function jobsThroughput(bench: Bench): Promise<Record<string, unknown>> {
  const redis = process.env.REDIS_URL ?? ((await answers(6379)) ? 'redis://127.0.0.1:6379' : undefined);
  const modes = MODES.filter((mode) => redis || mode === 'chassis (in-process)');
  if (!redis) console.log('Redis does not answer on 127.0.0.1:6379 and REDIS_URL is unset: in-process only');
  console.log(
    `${JOBS} no-op jobs after ${WARM_UP_JOBS} not counted, ${CONCURRENCY} at once, ${settings.repeats} rounds, a fresh process per run`,
  );
  const runs = new Map<Mode, JobsRun[]>(modes.map((mode) => [mode, []]));
  const base = productionEnv(bench.workDir, { AUTH_JWT_SECRET: randomSecret() });
  for (let roundNumber = 1; roundNumber <= settings.repeats; roundNumber++) {
    for (let turn = 0; turn < modes.length; turn++) {
      const mode = modes[(turn + roundNumber - 1) % modes.length]!;
      const run = await runOnce(bench, mode, roundNumber, base, redis);
      // The run removed its queue; the chassis's own queues (events, outbox schedule) are left under its prefix.
      if (redis) await deleteRedisKeys(redis, `${keyPrefix(mode, roundNumber)}:*`);
      runs.get(mode)!.push(run);
      console.log(
        `  round ${roundNumber} ${mode}: ${Math.round(run.jobs / run.seconds)} jobs/s, ${Math.round(run.cpuMicroseconds / run.jobs)} µs CPU/job`,
      );
    }
  }
  const measured = modes.map((mode) => {
    const list = runs.get(mode)!;
    return {
      name: mode,
      jobsPerSecond: Math.round(median(list.map((run) => run.jobs / run.seconds))),
      cpuMicrosecondsPerJob: Math.round(median(list.map((run) => run.cpuMicroseconds / run.jobs))),
      runs: list,
    };
  });
  console.log('\n| Engine | jobs/s (median) | CPU µs per job (median) |\n| --- | --- | --- |');
  for (const row of measured) console.log(`| ${row.name} | ${row.jobsPerSecond} | ${row.cpuMicrosecondsPerJob} |`);
  if (!redis) return { measured };
  const raw = runs.get('raw BullMQ')!;
  const wrapped = runs.get('chassis (BullMQ)')!;
  const perRound = wrapped.map((run, i) => run.cpuMicroseconds / run.jobs / (raw[i]!.cpuMicroseconds / raw[i]!.jobs) - 1);
  const overhead = round(median(perRound) * 100, 1);
  console.log(`\n  the chassis's wrapper adds ${overhead} % CPU per job over raw BullMQ (median of per-round ratios; target <= 15 %)`);
  return {
    measured,
    wrapperCpuOverheadPercent: overhead,
    perRound: perRound.map((r) => round(r * 100, 1)),
    jobs: JOBS,
    warmUpJobs: WARM_UP_JOBS,
    concurrency: CONCURRENCY,
  };
}

function keyPrefix(mode: Mode, roundNumber: number): string {
  return `bench:${process.pid}:jobs-${roundNumber}-${MODE_ARG[mode]}`;
}

function runOnce(bench: Bench, mode: Mode, roundNumber: number, base: Record<string, string>, redis: string | undefined): Promise<JobsRun> {
  const env: Record<string, string> = {
    ...base,
    PATH: process.env.PATH ?? '',
    DATABASE_URL: `sqlite:${join(bench.workDir, `jobs-${MODE_ARG[mode]}-${roundNumber}.sqlite`)}`,
    JOBS_BENCH_MODE: MODE_ARG[mode],
    JOBS_BENCH_JOBS: String(JOBS),
    JOBS_BENCH_WARMUP: String(WARM_UP_JOBS),
    JOBS_BENCH_CONCURRENCY: String(CONCURRENCY),
    // A key prefix per run: no run sees another's jobs; the keys are removed by the run's own process.
    JOBS_KEY_PREFIX: keyPrefix(mode, roundNumber),
  };
  // Production refuses queues without Redis: the in-process reference runs in development mode.
  if (mode === 'chassis (in-process)') env.NODE_ENV = 'development';
  else env.REDIS_URL = redis!;
  // The worker on a core of its own (the load generator's), so the kernel keeps Redis on the other, as the HTTP scenarios keep server and client apart.
  return measuredInProcess<JobsRun>(bench.pin.load, 'jobs-bench.js', env, mode);
}
