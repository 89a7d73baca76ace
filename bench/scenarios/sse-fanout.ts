import { execFileSync } from 'node:child_process';
import { request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Bench } from '../bench';
import { postgresAndRedis } from '../fixtures';
import { bearer, randomSecret, secretKey } from '../identity';
import { round } from '../measurement';
import { MAIN, READY, productionEnv } from '../settings';
import { type Server, http, sleep } from '../support';

/** Clients held open at once on one server process (the issue's figure). */
const CLIENTS = 5000;
/** Streams opened at once while connecting (the listen backlog is 511). */
const CONNECT_BATCH = 250;
/** The heartbeat interval the streams run with, in seconds, and how long they are watched. */
const HEARTBEAT_SECONDS = 5;
const WATCH_SECONDS = 21;
/** Events published (one item created each), each fanned out to every client. */
const FAN_OUT_ROUNDS = 5;
/**
 * Events fanned out first and not counted (printed apart): the process's first
 * `POST /items` and the first run of what its event sets off (the outbox relay,
 * the history handler, the hub) execute cold, as the HTTP scenarios' warm-up
 * keeps out of theirs.
 */
const WARM_UP_ROUNDS = 1;
/** Targets of the issue. */
const RSS_TARGET_MB = 400;
const FAN_OUT_P99_TARGET_MS = 250;

/** One open `GET /items/events` response, read just enough to time keep-alives and `created` events. */
class StreamClient {
  readonly keepAlivesAt: number[] = [];
  readonly createdAt: number[] = [];
  private tail = '';
  private request?: ClientRequest;

  open(port: number, authorization: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.request = request({
        host: '127.0.0.1',
        port,
        path: '/items/events',
        agent: false,
        headers: { authorization, accept: 'text/event-stream' },
      });
      this.request.on('error', reject);
      this.request.on('response', (response) => {
        if (response.statusCode !== 200) return reject(new Error(`GET /items/events answered ${response.statusCode}`));
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => this.read(chunk));
        resolve();
      });
      this.request.end();
    });
  }

  close(): void {
    this.request?.destroy();
  }

  private read(chunk: string): void {
    const now = performance.now();
    const text = this.tail + chunk;
    let from = 0;
    for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n', from)) {
      const block = text.slice(from, end);
      if (block === ': keep-alive') this.keepAlivesAt.push(now);
      else if (block.includes('\nevent: created\n')) this.createdAt.push(now);
      from = end + 2;
    }
    this.tail = text.slice(from);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** One hub: connect every client, watch heartbeats, then time the fan-out of FAN_OUT_ROUNDS events. */
async function measureHub(server: Server, authorization: string, label: string): Promise<Record<string, unknown>> {
  const rssIdleMb = server.rssMb();
  const clients = Array.from({ length: CLIENTS }, () => new StreamClient());
  const connectStarted = performance.now();
  for (let i = 0; i < clients.length; i += CONNECT_BATCH) {
    await Promise.all(clients.slice(i, i + CONNECT_BATCH).map((client) => client.open(server.port, authorization)));
  }
  const connectSeconds = round((performance.now() - connectStarted) / 1000, 1);
  try {
    const watchStarted = performance.now();
    await sleep(WATCH_SECONDS * 1000);
    const rssConnectedMb = server.rssMb();
    const gapsMs = clients.flatMap((client) => {
      const beats = client.keepAlivesAt.filter((at) => at >= watchStarted);
      return beats.slice(1).map((at, i) => at - beats[i]);
    });
    const heartbeatsPerClient = clients.map((client) => client.keepAlivesAt.filter((at) => at >= watchStarted).length);
    const rounds = [];
    for (let r = 0; r < WARM_UP_ROUNDS + FAN_OUT_ROUNDS; r++) {
      const cpuBefore = server.cpuMicroseconds();
      const sentAt = performance.now();
      const created = await http(server.port, '/items', {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ sku: `sse-bench-${Date.now()}-${r}`, name: 'Fan-out', priceCents: 1, currency: 'EUR' }),
      });
      if (created.status !== 201) throw new Error(`POST /items answered ${created.status}`);
      const deadline = Date.now() + 10_000;
      while (clients.some((client) => client.createdAt.length <= r) && Date.now() < deadline) await sleep(10);
      const latencies = clients.filter((client) => client.createdAt.length > r).map((client) => client.createdAt[r] - sentAt);
      const cpuAfter = server.cpuMicroseconds();
      rounds.push({
        // The server's CPU from the POST until the last client read its event (the POST, the event's way to the hub, 5,000 writes).
        serverCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : round((cpuAfter - cpuBefore) / 1000, 0),
        delivered: latencies.length,
        p50Ms: round(percentile(latencies, 50), 1),
        p99Ms: round(percentile(latencies, 99), 1),
        maxMs: round(Math.max(...latencies), 1),
      });
      await sleep(1000);
    }
    const warmUp = rounds.slice(0, WARM_UP_ROUNDS);
    const fanOut = rounds.slice(WARM_UP_ROUNDS);
    const rssAfterMb = server.rssMb();
    const result = {
      hub: label,
      clients: CLIENTS,
      connectSeconds,
      rssIdleMb,
      rssConnectedMb,
      rssAfterMb,
      heartbeat: {
        intervalSeconds: HEARTBEAT_SECONDS,
        watchedSeconds: WATCH_SECONDS,
        minPerClient: Math.min(...heartbeatsPerClient),
        gapP50Ms: round(percentile(gapsMs, 50), 0),
        gapP99Ms: round(percentile(gapsMs, 99), 0),
        gapMaxMs: round(Math.max(...gapsMs), 0),
      },
      warmUp,
      fanOut,
    };
    const worstP99 = Math.max(...fanOut.map((r) => r.p99Ms));
    const rss = Math.max(rssConnectedMb ?? NaN, rssAfterMb ?? NaN);
    console.log(
      `  ${label}: ${CLIENTS} streams connected in ${connectSeconds} s; RSS ${rssIdleMb} MB idle → ${rssConnectedMb} MB connected, ${rssAfterMb} MB after the fan-outs`,
    );
    console.log(
      `    heartbeats every ${HEARTBEAT_SECONDS} s: gap p50 ${result.heartbeat.gapP50Ms} ms, p99 ${result.heartbeat.gapP99Ms} ms, max ${result.heartbeat.gapMaxMs} ms; at least ${result.heartbeat.minPerClient} per client in ${WATCH_SECONDS} s`,
    );
    for (const [r, f] of warmUp.entries())
      console.log(
        `    warm-up ${r + 1} (not counted): delivered to ${f.delivered}; p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms; server CPU ${f.serverCpuMs} ms`,
      );
    for (const [r, f] of fanOut.entries())
      console.log(
        `    fan-out ${r + 1}: delivered to ${f.delivered}; p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms; server CPU ${f.serverCpuMs} ms`,
      );
    console.log(
      `    RSS ≤ ${RSS_TARGET_MB} MB: ${rss <= RSS_TARGET_MB ? 'MET' : 'MISSED'}; fan-out p99 ≤ ${FAN_OUT_P99_TARGET_MS} ms: ${worstP99 <= FAN_OUT_P99_TARGET_MS ? 'MET' : 'MISSED'} (worst round ${worstP99} ms)`,
    );
    return result;
  } finally {
    clients.forEach((client) => client.close());
    await sleep(500);
  }
}

/**
 * The in-process hub alone (the build's, no HTTP): CLIENTS subscribers of one
 * topic, the time from a publish until every one has read the event. Tells
 * the hub's share of the fan-out from the stream writing's and the sockets'.
 */
async function hubAlone(): Promise<number[]> {
  /* eslint-disable @typescript-eslint/no-require-imports -- the compiled build, as the servers run it */
  const { MemoryEventHub } =
    require('../../dist/src/core/streaming/hub/memory-event-hub') as typeof import('../../src/core/streaming/hub/memory-event-hub');
  const { createEventHubMetrics } =
    require('../../dist/src/core/streaming/hub/event-hub.metrics') as typeof import('../../src/core/streaming/hub/event-hub.metrics');
  const { Registry } = require('prom-client') as typeof import('prom-client');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const hub = new MemoryEventHub({ windowSeconds: 300, maxEvents: 1000 }, false, createEventHubMetrics(new Registry()));
  const controller = new AbortController();
  let read = 0;
  let allRead: () => void = () => undefined;
  for (let i = 0; i < CLIENTS; i++) {
    void (async () => {
      for await (const event of hub.subscribe('bench', { signal: controller.signal })) if (event.id && ++read === CLIENTS) allRead();
    })();
  }
  await sleep(100);
  const runsMs = [];
  for (let r = 0; r < FAN_OUT_ROUNDS; r++) {
    read = 0;
    const done = new Promise<void>((resolve) => (allRead = resolve));
    const started = performance.now();
    await hub.publish('bench', { event: 'created', data: { id: r, name: 'Fan-out' } });
    await done;
    runsMs.push(round(performance.now() - started, 1));
  }
  controller.abort();
  hub.close();
  return runsMs;
}

/**
 * `npm run bench -- --sse`: CLIENTS concurrent `GET /items/events` streams of
 * one owner on one production server (so one topic), first with the
 * in-process hub, then with Redis Streams when Redis answers. Reports RSS,
 * the heartbeat gaps the clients saw, and the latency from sending a
 * `POST /items` to each client receiving its `created` event (the fan-out).
 * The clients run in this process, pinned to the load generator's core;
 * ulimit -n must allow
 * CLIENTS descriptors in this process and in the server.
 */
export async function sseFanOut(bench: Bench): Promise<Record<string, unknown>> {
  // The clients run here: keep them off the server's core, as the load generator is elsewhere.
  if (bench.pin.load.length > 0) execFileSync('taskset', ['-cp', bench.pin.load[2], String(process.pid)], { stdio: 'ignore' });
  const secret = randomSecret();
  const authorization = bearer(secretKey(secret), 'HS256', 'items:read items:write');
  const streamEnv = {
    AUTH_JWT_SECRET: secret,
    SSE_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS),
    SSE_MAX_STREAMS_PER_PRINCIPAL: '10000',
  };
  const hubs: { label: string; env: Record<string, string> }[] = [{ label: 'in-process hub', env: {} }];
  const redis = await postgresAndRedis();
  if (typeof redis === 'string') console.log(`Redis hub skipped: ${redis}`);
  else hubs.push({ label: 'Redis Streams hub', env: { REDIS_URL: redis.redisUrl, SSE_HUB_KEY_PREFIX: `bench:${process.pid}:events:` } });
  console.log(
    `Server-Sent Events: ${CLIENTS} streams of one owner on one process, then ${WARM_UP_ROUNDS} event of warm-up and ${FAN_OUT_ROUNDS} measured, each fanned out to all`,
  );
  const hubAloneMs = await hubAlone();
  console.log(`  the in-process hub alone (no HTTP): ${CLIENTS} subscribers read one event in ${hubAloneMs.join(', ')} ms`);
  const results = [];
  for (const [index, hub] of hubs.entries()) {
    const env = {
      ...productionEnv(bench.workDir, streamEnv),
      ...hub.env,
      DATABASE_URL: `sqlite:${join(bench.workDir, `sse-${index}.sqlite`)}`,
    };
    results.push(await bench.with(MAIN, env, READY, (server) => measureHub(server, authorization, hub.label)));
  }
  return { sse: results, hubAloneFanOutMs: hubAloneMs };
}
