import { join } from 'node:path';
import { Client } from 'pg';
import type { Bench } from '../bench';
import { bearer, randomSecret, secretKey } from '../identity';
import { type Measurement, type Subject, printTable, round } from '../measurement';
import { CHASSIS_BENCH, READY, productionEnv } from '../settings';
import { type Server, answers, deleteRedisKeys, median, sleep } from '../support';

const BODY = JSON.stringify({ sku: 'BENCH-1', name: 'Bench item', priceCents: 1250, currency: 'EUR' });

/**
 * What publishing a domain event through the outbox costs a request: the same
 * authenticated POST that writes one row in a transaction, with and without
 * `DomainEvents.publish()` in that transaction, in two deployments (one
 * command prints both tables):
 *
 * 1. one process (SQLite, in-process jobs): its CPU includes everything the
 *    event sets off there (the relay run nudged after the commit, the event's
 *    job, the row marked published), as a zero-infrastructure deployment pays it;
 * 2. the definition: a `PROCESS_ROLE=api` process serving the routes
 *    and a `PROCESS_ROLE=worker` process running the relay's schedule and the
 *    event's job, on PostgreSQL and Redis; only the API process's CPU is
 *    counted, including its own relay run nudged by each commit. Skipped (and
 *    said so) when PostgreSQL or Redis does not answer on 127.0.0.1.
 *
 * In rounds, like the rest.
 */
export async function outboxPublish(bench: Bench): Promise<Record<string, unknown>> {
  const secret = randomSecret();
  const headers = { authorization: bearer(secretKey(secret), 'HS256', 'items:write'), 'content-type': 'application/json' };
  const singleProcess = await inOneProcess(bench, secret, headers);
  const apiAndWorker = await onApiAndWorker(bench, secret, headers);
  return { singleProcess, apiAndWorker };
}

async function inOneProcess(bench: Bench, secret: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const env = {
    ...productionEnv(bench.workDir, { AUTH_JWT_SECRET: secret }),
    DATABASE_URL: `sqlite:${join(bench.workDir, 'outbox.sqlite')}`,
  };
  console.log('1. One process (SQLite, in-process jobs): POST writing one row in a transaction, with and without a domain event');
  const measured = await bench.withAll([{ nodeArgs: CHASSIS_BENCH, env, readyPath: READY }], ([server]) =>
    bench.measureInRounds(routes(server, headers)),
  );
  return compared(measured, 'server');
}

/** The API process's CPU only; the worker process runs unpinned and is not measured. */
async function onApiAndWorker(bench: Bench, secret: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  console.log('\n2. API process + worker process (PostgreSQL, Redis): the same routes, the API process measured');
  if (!(await answers(5432)) || !(await answers(6379))) {
    const skipped = 'PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) does not answer';
    console.log(`  skipped: ${skipped}`);
    return { skipped };
  }
  const run = `bench-outbox-${process.pid}-${Date.now()}`;
  // A database of its own, dropped afterwards: never the `test` database other runs use.
  const database = run.replaceAll('-', '_');
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
    const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
    const shared = productionEnv(bench.workDir, {
      AUTH_JWT_SECRET: secret,
      DATABASE_URL: databaseUrl,
      REDIS_URL: 'redis://127.0.0.1:6379',
      JOBS_KEY_PREFIX: `${run}:jobs`,
      CACHE_KEY_PREFIX: `${run}:cache:`,
      RATE_LIMIT_REDIS_KEY_PREFIX: `${run}:rate-limit:`,
      IDEMPOTENCY_KEY_PREFIX: `${run}:idempotency:`,
      SSE_HUB_KEY_PREFIX: `${run}:events:`,
    });
    const worker = { nodeArgs: CHASSIS_BENCH, env: { ...shared, PROCESS_ROLE: 'worker' }, readyPath: READY, pinned: false };
    const api = { nodeArgs: CHASSIS_BENCH, env: { ...shared, PROCESS_ROLE: 'api' }, readyPath: READY };
    // The worker first: it runs the migrations alone; the API process finds them done.
    const measured = await bench.withAll([worker, api], async ([, server]) => {
      const result = await bench.measureInRounds([
        ...routes(server, headers),
        {
          name: 'POST, one row + the outbox row only (no nudge)',
          server,
          path: '/bench/write-outbox-row',
          headers,
          method: 'POST',
          body: BODY,
        },
      ]);
      return { result, outbox: await outboxState(databaseUrl) };
    });
    console.log(
      `  outbox after the runs: ${measured.outbox.published} events published, ${measured.outbox.pending} pending (the worker relays what the API process did not)`,
    );
    const split = compared(measured.result, 'API process');
    const [plain, , rowOnly] = measured.result;
    const rowPerRound = rowOnly.runs.map(
      (run, i) => (run.serverCpuMicrosecondsPerRequest ?? NaN) / (plain.runs[i].serverCpuMicrosecondsPerRequest ?? NaN) - 1,
    );
    const rowOverhead = round(median(rowPerRound) * 100, 1);
    console.log(`  the outbox row alone (the relay run left to the worker) adds ${rowOverhead} % API process CPU per request`);
    return {
      ...split,
      rowOnly: { cpuOverheadPercent: rowOverhead, perRound: rowPerRound.map((r) => round(r * 100, 1)) },
      outbox: measured.outbox,
    };
  } finally {
    await deleteRedisKeys('redis://127.0.0.1:6379', `${run}:*`);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch((error: unknown) => {
      console.log(`  could not drop database ${database}: ${(error as Error).message}`);
    });
    await admin.end();
  }
}

function routes(server: Server, headers: Record<string, string>): Subject[] {
  return [
    { name: 'POST, one row written', server, path: '/bench/write', headers, method: 'POST', body: BODY },
    { name: 'POST, one row + DomainEvents.publish()', server, path: '/bench/write-publish', headers, method: 'POST', body: BODY },
  ];
}

/** Prints the table and the median of the per-round CPU ratios (publishing ÷ plain − 1). */
function compared(measured: Measurement[], whose: string): Record<string, unknown> {
  printTable(measured);
  const [plain, publishing] = measured;
  const perRound = publishing.runs.map(
    (run, i) => (run.serverCpuMicrosecondsPerRequest ?? NaN) / (plain.runs[i].serverCpuMicrosecondsPerRequest ?? NaN) - 1,
  );
  const overhead = round(median(perRound) * 100, 1);
  console.log(`  publishing through the outbox adds ${overhead} % ${whose} CPU per request (median of per-round ratios; target <= 10 %)`);
  return { measured, overhead: { cpuOverheadPercent: overhead, perRound: perRound.map((r) => round(r * 100, 1)) } };
}

/** Published and pending outbox rows, once the worker's relay has had a few seconds to catch up. */
async function outboxState(databaseUrl: string): Promise<{ published: number; pending: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let state = { published: 0, pending: 0 };
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const { rows } = await client.query<{ published: string; pending: string }>(
        'SELECT count(*) FILTER (WHERE published_at IS NOT NULL) AS published, count(*) FILTER (WHERE published_at IS NULL) AS pending FROM outbox_events',
      );
      state = { published: Number(rows[0].published), pending: Number(rows[0].pending) };
      if (state.pending === 0) break;
      await sleep(1000);
    }
    return state;
  } finally {
    await client.end();
  }
}
