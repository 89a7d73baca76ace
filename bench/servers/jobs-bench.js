'use strict';
/**
 * One measurement of `npm run bench -- --jobs`, in a process of its own:
 * `JOBS` jobs, each a no-op, processed `JOBS_BENCH_CONCURRENCY` at once by
 *
 * - `raw`: a BullMQ `Worker` with a bare async function (the reference);
 * - `chassis`: the production build (dist/, `createChassisApp` + `AppModule`)
 *   with one queue and a `@JobProcessor` doing nothing: the chassis's wrapper
 *   (payload validation, logger context with the job's ids, span, time limit,
 *   metrics, the `Job completed` log line) around the same BullMQ worker;
 * - `in-process`: the same build without `REDIS_URL` (the in-process engine).
 *
 * On Redis the jobs are added in bulk by a plain BullMQ `Queue` to the paused
 * queue (identical for both modes, not measured), the worker starts, then the
 * queue is resumed. The first `JOBS_BENCH_WARMUP` jobs are not counted (the
 * code they run is still being compiled, as a request's warm-up is kept out of
 * the HTTP scenarios); the process's own CPU time from the last of them until
 * the last job is processed is the cost (Redis' own CPU is not counted, the
 * same for both). In-process, `JobQueue.add()` and the processing are measured
 * together, after the same warm-up.
 * Sends `{ jobs, seconds, cpuMicroseconds }` (the counted jobs) to the parent over IPC.
 *
 * Plain JavaScript over the compiled build, decorators applied with `Reflect.decorate` (as chassis-bench.js).
 */
const { performance } = require('node:perf_hooks');
const { Injectable, Module } = require('@nestjs/common');
const { IsInt, Min } = require('class-validator');
const { Queue, Worker } = require('bullmq');

const mode = process.env.JOBS_BENCH_MODE;
const count = Number(process.env.JOBS_BENCH_JOBS);
const warmUp = Number(process.env.JOBS_BENCH_WARMUP);
const concurrency = Number(process.env.JOBS_BENCH_CONCURRENCY);
const name = 'bench';

let done = 0;
let warmedUp = () => undefined;
let finished = () => undefined;
const warmUpDone = new Promise((resolve) => (warmedUp = resolve));
const allDone = new Promise((resolve) => (finished = resolve));
if (!(warmUp > 0)) warmedUp();
const tick = () => {
  done += 1;
  if (done === warmUp) warmedUp();
  if (done === warmUp + count) finished();
};

/** CPU (user + system, µs) and wall time (s) of `work`. */
async function measured(work) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuMicroseconds: used.user + used.system };
}

/** The chassis's stored form of a job (src/core/jobs/job-envelope.ts) with the chassis's job options for these settings. */
const envelope = (n) => ({ payload: { n }, origin: {} });
const jobOptions = {
  attempts: 1,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { count: 1000 },
  removeOnFail: false,
};

/** Adds every job to the paused queue; resolves to the queue, to resume it. */
async function addInBulk(connection, prefix) {
  const queue = new Queue(name, { connection, prefix });
  await queue.pause();
  const total = warmUp + count;
  for (let from = 0; from < total; from += 1000) {
    const size = Math.min(1000, total - from);
    await queue.addBulk(Array.from({ length: size }, (_, i) => ({ name, data: envelope(from + i), opts: jobOptions })));
  }
  return queue;
}

/** Resumes the queue, lets the warm-up jobs through, and measures until every job has been processed. */
async function processAll(queue) {
  await queue.resume();
  await warmUpDone;
  return measured(() => allDone);
}

/** Removes the run's keys from Redis (its own prefix) once nothing works on them. */
async function removeKeys(queue) {
  await queue.obliterate({ force: true });
  await queue.close();
}

async function raw() {
  const connection = { url: process.env.REDIS_URL };
  const prefix = process.env.JOBS_KEY_PREFIX;
  const queue = await addInBulk(connection, prefix);
  const worker = new Worker(name, async () => tick(), { connection, prefix, concurrency });
  await worker.waitUntilReady();
  const result = await processAll(queue);
  await worker.close();
  await removeKeys(queue);
  return result;
}

function chassisModule(dist) {
  const { defineQueue, JobProcessor, JobsModule } = dist('core');
  class BenchJobDto {}
  Reflect.decorate([IsInt(), Min(0)], BenchJobDto.prototype, 'n', undefined);
  const BenchQueue = defineQueue({ name, payload: BenchJobDto, defaults: { concurrency, attempts: 1 } });
  class BenchProcessor {
    process() {
      tick();
    }
  }
  Reflect.decorate([Injectable(), JobProcessor(BenchQueue)], BenchProcessor);
  class BenchJobsModule {}
  Reflect.decorate([Module({ imports: [JobsModule.forFeature([BenchQueue])], providers: [BenchProcessor] })], BenchJobsModule);
  return { BenchJobsModule, BenchQueue };
}

async function chassis() {
  const dist = (path) => require(`../../dist/src/${path}`);
  const { createChassisApp } = dist('core/bootstrap/create-chassis-app');
  const { AppModule } = dist('app.module');
  const { jobQueueToken } = dist('core/jobs/job-queue');
  const { BenchJobsModule, BenchQueue } = chassisModule(dist);
  class BenchRootModule {}
  Reflect.decorate([Module({})], BenchRootModule);
  const root = (options) => ({ module: BenchRootModule, imports: [AppModule.register(options), BenchJobsModule] });
  const queue = mode === 'in-process' ? undefined : await addInBulk({ url: process.env.REDIS_URL }, process.env.JOBS_KEY_PREFIX);
  const app = await createChassisApp(root, { env: process.env });
  await app.init();
  let result;
  if (mode === 'in-process') {
    const queue = app.get(jobQueueToken(BenchQueue), { strict: false });
    for (let n = 0; n < warmUp; n++) await queue.add({ n });
    await warmUpDone;
    result = await measured(async () => {
      for (let n = warmUp; n < warmUp + count; n++) await queue.add({ n });
      await allDone;
    });
  } else {
    result = await processAll(queue);
  }
  await app.close();
  if (queue) await removeKeys(queue);
  return result;
}

(mode === 'raw' ? raw() : chassis())
  .then((result) => {
    process.send({ jobs: count, ...result });
    process.exit(0);
  })
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
