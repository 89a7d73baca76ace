import { type ChildProcess, spawn } from 'node:child_process';
import type { Bench } from '../bench';
import { round } from '../measurement';
import { measuredInProcess, median } from '../support';

/** Calls measured per process (after WARMUP_CALLS), in flight at once, connections, and rounds (one process per side in each). */
const CALLS = 100_000;
const WARMUP_CALLS = 20_000;
const CONCURRENCY = 32;
const CONNECTIONS = 32;
const ROUNDS = 7;

type Side = 'bare' | 'chassis';

/** The local upstream, in its own process on the load generator's core so its CPU is neither counted nor in the way: a JSON answer per request. */
async function startUpstream(bench: Bench): Promise<{ child: ChildProcess; url: string }> {
  const command = [
    ...bench.pin.load,
    process.execPath,
    '-e',
    "require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>s.writeHead(200,{'content-type':'application/json'}).end('{\"ok\":true,\"n\":1}'))}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})",
  ];
  const child = spawn(command[0], command.slice(1));
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim()))));
  return { child, url: `http://127.0.0.1:${port}` };
}

/** One side measured in a fresh process on the server's core (bench/servers/http-client-calls.js); its CPU µs per call. */
async function measureInProcess(bench: Bench, side: Side, url: string): Promise<number> {
  const env = {
    PATH: process.env.PATH ?? '',
    HTTP_CLIENT_BENCH_MODE: side,
    HTTP_CLIENT_BENCH_UPSTREAM_URL: url,
    HTTP_CLIENT_BENCH_CALLS: String(CALLS),
    HTTP_CLIENT_BENCH_WARMUP_CALLS: String(WARMUP_CALLS),
    HTTP_CLIENT_BENCH_CONCURRENCY: String(CONCURRENCY),
    HTTP_CLIENT_BENCH_CONNECTIONS: String(CONNECTIONS),
  };
  const run = await measuredInProcess<{ cpuMicrosecondsPerCall: number }>(bench.pin.server, 'http-client-calls.js', env, side);
  return run.cpuMicrosecondsPerCall;
}

/**
 * The outbound client's overhead: client-side CPU per call of
 * `UpstreamClient.get` (JSON parsed, inside a request context so the
 * correlation and request ids are sent; retry, breaker, timeout and metrics
 * on) against a bare undici `Pool.request` with its body read as JSON, to
 * the same local upstream, both with CONNECTIONS connections, each side in a
 * process of its own per round (which side goes first alternates). Target: ≤ 15 %
 * more CPU per call (docs/performance.md#outbound-http-client).
 */
export async function httpClientOverhead(bench: Bench): Promise<Record<string, unknown>> {
  const { child, url } = await startUpstream(bench);
  try {
    console.log(
      `Outbound client against bare undici: ${CALLS} calls after ${WARMUP_CALLS} of warm-up, ${CONCURRENCY} in flight, ${ROUNDS} rounds of one process per side, client CPU per call`,
    );
    const bareRuns: number[] = [];
    const chassisRuns: number[] = [];
    const ratios: number[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      const order: Side[] = index % 2 === 0 ? ['bare', 'chassis'] : ['chassis', 'bare'];
      const measured: Partial<Record<Side, number>> = {};
      for (const side of order) measured[side] = await measureInProcess(bench, side, url);
      const b = measured.bare!;
      const c = measured.chassis!;
      bareRuns.push(b);
      chassisRuns.push(c);
      ratios.push(c / b);
      console.log(`  round ${index + 1}: bare ${round(b, 1)} µs, chassis ${round(c, 1)} µs (${round((c / b - 1) * 100, 1)} %)`);
    }
    const result = {
      calls: CALLS,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      bareUndiciCpuMicrosecondsPerCall: round(median(bareRuns), 1),
      chassisClientCpuMicrosecondsPerCall: round(median(chassisRuns), 1),
      overheadPercent: round((median(ratios) - 1) * 100, 1),
      targetPercent: 15,
    };
    console.log(`  bare undici Pool.request:   ${result.bareUndiciCpuMicrosecondsPerCall} µs CPU per call (median)`);
    console.log(`  chassis UpstreamClient.get: ${result.chassisClientCpuMicrosecondsPerCall} µs CPU per call (median)`);
    console.log(`  overhead: ${result.overheadPercent} % (median of the rounds' ratios; target ≤ 15 %)`);
    return { httpClientOverhead: result };
  } finally {
    child.kill();
  }
}
