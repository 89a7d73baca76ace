/**
 * The benchmark: `npm run bench` (builds first). Measures, one after the other
 * on 127.0.0.1, bare Fastify (the reference of the targets), NestJS on Fastify
 * with nothing else (what Nest itself costs) and the chassis's production
 * build, and checks the targets of docs/performance.md. Not a test: nothing
 * here runs in `npm test`. JWKS mode is also compared with shared-secret mode
 * side by side: both loaded at once on the same core, in fresh pairs of
 * processes (see measureSideBySide).
 *
 *   npm run bench                      # scenarios (a), (b), (c) and cold start
 *   npm run bench -- --layers          # (a) with one layer turned off at a time (bench-only configuration)
 *   npm run bench -- --http-client     # the outbound client's CPU per call against bare undici (also part of the default run)
 *   npm run bench -- --jobs            # jobs per second and CPU per job: the chassis's wrapper against raw BullMQ, and in-process
 *   npm run bench -- --tenancy         # the items read path with tenancy off and on, same rounds
 *   npm run bench -- --outbox          # a transactional write with and without a domain event through the outbox
 *   npm run bench -- --sse             # 5,000 Server-Sent Events streams on one process: RSS, heartbeats, fan-out latency
 *   npm run bench -- --duration 5 --repeats 3 --warmup 2 --connections 50 --side-by-side-pairs 3 --side-by-side-runs 3
 *
 * Writes bench/results/latest.json (or latest-layers.json) and prints a table.
 * One file per scenario under bench/scenarios/; this file only picks the mode and writes the results.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Bench } from './bench';
import { defaultScenarios } from './scenarios/default';
import { httpClientOverhead } from './scenarios/http-client-overhead';
import { idempotency } from './scenarios/idempotency';
import { jobsThroughput } from './scenarios/jobs-throughput';
import { layers } from './scenarios/layers';
import { outboxPublish } from './scenarios/outbox-publish';
import { tenancyItemsRead } from './scenarios/tenancy-items-read';
import { sseFanOut } from './scenarios/sse-fanout';
import { args, settings } from './settings';
import { ROOT, loadAverage, sleep } from './support';

/** The scenarios run alone by a flag; without one, the default scenarios run. */
const MODES: {
  flag: 'layers' | 'idempotency' | 'http-client' | 'jobs' | 'tenancy' | 'sse' | 'outbox';
  run: (bench: Bench) => Promise<Record<string, unknown>>;
}[] = [
  { flag: 'layers', run: layers },
  { flag: 'idempotency', run: idempotency },
  { flag: 'http-client', run: httpClientOverhead },
  { flag: 'jobs', run: jobsThroughput },
  { flag: 'tenancy', run: tenancyItemsRead },
  { flag: 'sse', run: sseFanOut },
  { flag: 'outbox', run: outboxPublish },
];

async function main(): Promise<void> {
  const bench = new Bench();
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, pinning: bench.pin.description };
  const startedAt = new Date().toISOString();
  console.log(`nest-chassis bench — ${startedAt}`);
  console.log(`  ${machine.node}, ${machine.cpus} × ${machine.cpuModel}; ${machine.pinning}`);
  console.log(
    `  ${settings.connections} connections, ${settings.warmupSeconds} s warm-up, ${settings.repeats} × ${settings.durationSeconds} s (median)`,
  );
  console.log(`  load average before: ${loadAverage().join(' ')}; server logs: ${bench.logFile}\n`);
  const began = Date.now();
  try {
    const mode = MODES.find((candidate) => args[candidate.flag]);
    const results = mode ? await mode.run(bench) : { ...(await defaultScenarios(bench)), ...(await httpClientOverhead(bench)) };
    const output = {
      command: process.env.BENCH_COMMAND ?? (mode ? `npm run bench -- --${mode.flag}` : 'npm run bench'),
      startedAt,
      durationSeconds: Math.round((Date.now() - began) / 1000),
      machine,
      settings,
      loadAverageAfter: loadAverage(),
      ...results,
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(ROOT, 'bench', 'results', mode ? `latest-${mode.flag}.json` : 'latest.json');
    writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
    console.log(`\nWrote ${file} (${output.durationSeconds} s)`);
    rmSync(bench.workDir, { recursive: true, force: true });
  } catch (error) {
    console.error(`\nbench failed: ${(error as Error).stack}\n(server logs kept in ${bench.workDir})`);
    process.exitCode = 1;
  }
}

void main().then(() => sleep(0));
