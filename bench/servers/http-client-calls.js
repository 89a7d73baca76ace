'use strict';
/**
 * One measurement of `npm run bench -- --http-client`, in a process of its own
 * (a fresh heap and fresh JIT state for each side: run in one process, the
 * garbage-collection work one side leaves behind falls in the other side's
 * rounds, see docs/performance.md#outbound-http-client):
 *
 * - `bare`: undici `Pool.request` with one propagated header, the body read as JSON (the reference);
 * - `chassis`: the compiled `UpstreamClient.get` (dist/), inside a request
 *   context entered once per loop (a feature's calls run in the context their
 *   request entered), so the correlation and request ids are sent and the
 *   request's signal is passed; retry policy, circuit breaker, timeouts and histogram on.
 *
 * `HTTP_CLIENT_BENCH_WARMUP_CALLS` calls first (not measured), then
 * `HTTP_CLIENT_BENCH_CALLS`, `HTTP_CLIENT_BENCH_CONCURRENCY` in flight; sends
 * `{ calls, cpuMicrosecondsPerCall }` (this process's user + system CPU) to the parent over IPC.
 */
const { Registry } = require('prom-client');
const { Pool } = require('undici');
const { runInRequestContext } = require('../../dist/src/core/context/request-context');
const { UpstreamClients } = require('../../dist/src/core/http-client/upstream-clients');
const { loadConfig } = require('../../dist/src/core/settings/load-config');

const mode = process.env.HTTP_CLIENT_BENCH_MODE;
const url = process.env.HTTP_CLIENT_BENCH_UPSTREAM_URL;
const calls = Number(process.env.HTTP_CLIENT_BENCH_CALLS);
const warmupCalls = Number(process.env.HTTP_CLIENT_BENCH_WARMUP_CALLS);
const concurrency = Number(process.env.HTTP_CLIENT_BENCH_CONCURRENCY);
const connections = Number(process.env.HTTP_CLIENT_BENCH_CONNECTIONS);

/** The call and the loop around it, per mode; each side builds only its own client. */
function subject() {
  if (mode === 'bare') {
    const pool = new Pool(url, { connections });
    const call = async () => {
      const response = await pool.request({ method: 'GET', path: '/things', headers: { 'x-correlation-id': 'bench-correlation' } });
      return response.body.json();
    };
    return { call, around: (loop) => loop(), close: () => pool.close() };
  }
  const config = loadConfig({ NODE_ENV: 'development', UPSTREAM_BENCH_URL: url, HTTP_CLIENT_CONNECTIONS: String(connections) });
  const clients = new UpstreamClients(config, new Registry());
  const client = clients.get('bench');
  const context = { requestId: 'bench-request', correlationId: 'bench-correlation', signal: new AbortController().signal };
  return {
    call: () => client.get('/things'),
    around: (loop) => runInRequestContext(context, loop),
    close: () => clients.onApplicationShutdown(),
  };
}

/** Runs `count` calls, `concurrency` loops at once; returns this process's CPU µs per call. */
async function run({ call, around }, count) {
  let next = 0;
  const loop = async () => {
    while (next++ < count) await call();
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, () => around(loop)));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

async function main() {
  const measured = subject();
  try {
    await run(measured, warmupCalls);
    const cpuMicrosecondsPerCall = await run(measured, calls);
    process.send({ calls, cpuMicrosecondsPerCall });
  } finally {
    await measured.close();
  }
}

main().then(
  () => process.disconnect(),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
