import { type ChildProcess, spawn } from 'node:child_process';
import { Registry } from 'prom-client';
import { Pool } from 'undici';
import { runInRequestContext } from '../../src/core/context/request-context';
import { UpstreamClients } from '../../src/core/http-client/upstream-clients';
import { loadConfig } from '../../src/core/settings/load-config';
import { round } from '../measurement';
import { median } from '../support';

/** Calls per measurement, in flight at once, and rounds (bare and chassis alternate in each). */
const CALLS = 20_000;
const CONCURRENCY = 32;
const ROUNDS = 7;
const CONNECTIONS = 32;

/** The local upstream, in its own process so its CPU is not counted: a JSON answer per request. */
async function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [
    '-e',
    "require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>s.writeHead(200,{'content-type':'application/json'}).end('{\"ok\":true,\"n\":1}'))}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})",
  ]);
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim()))));
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Runs `call` CALLS times, CONCURRENCY at once; this process's CPU time per call, µs. */
async function cpuPerCall(call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next++ < CALLS) await call();
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

/**
 * The outbound client's overhead: client-side CPU per call of
 * `UpstreamClient.get` (JSON parsed, inside a request context so the
 * correlation and request ids are sent; retry, breaker, timeout and metrics
 * on) against a bare undici `Pool.request` with its body read as JSON, to
 * the same local upstream, both with CONNECTIONS connections. Target: ≤ 15 %
 * more CPU per call (docs/performance.md#outbound-http-client).
 */
export async function httpClientOverhead(): Promise<Record<string, unknown>> {
  const { child, url } = await startUpstream();
  const config = loadConfig({ NODE_ENV: 'development', UPSTREAM_BENCH_URL: url, HTTP_CLIENT_CONNECTIONS: String(CONNECTIONS) });
  const clients = new UpstreamClients(config, new Registry());
  const client = clients.get('bench');
  const bare = new Pool(url, { connections: CONNECTIONS });
  const context = { requestId: 'bench-request', correlationId: 'bench-correlation', signal: new AbortController().signal };
  const bareCall = async () => {
    const response = await bare.request({ method: 'GET', path: '/things', headers: { 'x-correlation-id': 'bench-correlation' } });
    return response.body.json();
  };
  const chassisCall = () => runInRequestContext(context, () => client.get('/things'));
  try {
    console.log(`Outbound client against bare undici: ${CALLS} calls, ${CONCURRENCY} in flight, ${ROUNDS} rounds, client CPU per call`);
    await cpuPerCall(bareCall);
    await cpuPerCall(chassisCall);
    const bareRuns: number[] = [];
    const chassisRuns: number[] = [];
    const ratios: number[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      const b = await cpuPerCall(bareCall);
      const c = await cpuPerCall(chassisCall);
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
    await bare.close();
    await clients.onApplicationShutdown();
    child.kill();
  }
}
