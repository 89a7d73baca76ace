import { join } from 'node:path';
import type { Bench } from '../bench';
import { postgresAndRedis } from '../fixtures';
import { bearer, randomSecret, secretKey } from '../identity';
import { printTable, round } from '../measurement';
import { CHASSIS_BENCH, READY, productionEnv } from '../settings';
import { deleteRedisKeys, median } from '../support';

/**
 * What `@Idempotent()` costs: the same authenticated POST (no I/O in the
 * handler) with and without the decorator, every request with a fresh
 * Idempotency-Key (so every one claims and completes a record), with the
 * in-memory store and, when it answers, with Redis. In rounds, like the rest.
 */
export async function idempotency(bench: Bench): Promise<Record<string, unknown>> {
  const secret = randomSecret();
  const headers = {
    authorization: bearer(secretKey(secret), 'HS256', 'items:write'),
    'content-type': 'application/json',
  };
  const body = JSON.stringify({ sku: 'BENCH-1', name: 'Bench item', priceCents: 1250, currency: 'EUR' });
  const base = productionEnv(bench.workDir, { AUTH_JWT_SECRET: secret });
  const redis = await postgresAndRedis();
  const stores = [{ label: 'memory store', env: {} as Record<string, string> }];
  // The run's records under a prefix of its own, deleted after: one per request, each kept for the record TTL (a day by default).
  const keyPrefix = `bench:${process.pid}:idem:`;
  if (typeof redis !== 'string')
    stores.push({ label: 'Redis store', env: { REDIS_URL: redis.redisUrl, IDEMPOTENCY_KEY_PREFIX: keyPrefix } });
  else console.log(`Redis store skipped: ${redis}`);
  try {
    return await measure(bench, stores, base, headers, body);
  } finally {
    if (typeof redis !== 'string') await deleteRedisKeys(redis.redisUrl, `${keyPrefix}*`);
  }
}

async function measure(
  bench: Bench,
  stores: { label: string; env: Record<string, string> }[],
  base: Record<string, string>,
  headers: Record<string, string>,
  body: string,
): Promise<Record<string, unknown>> {
  console.log('POST with and without @Idempotent(), a fresh key per request, in rounds');
  const measured = await bench.withAll(
    stores.map((store, index) => ({
      nodeArgs: CHASSIS_BENCH,
      env: { ...base, ...store.env, DATABASE_URL: `sqlite:${join(bench.workDir, `idempotency-${index}.sqlite`)}` },
      readyPath: READY,
    })),
    (servers) =>
      bench.measureInRounds(
        stores.flatMap((store, index) => [
          { name: `POST, no decorator (${store.label})`, server: servers[index], path: '/bench/echo', headers, method: 'POST', body },
          {
            name: `POST, @Idempotent() (${store.label})`,
            server: servers[index],
            path: '/bench/echo-idempotent',
            headers,
            method: 'POST',
            body,
          },
        ]),
      ),
  );
  printTable(measured);
  const overheads = stores.map((store, index) => {
    const [plain, idempotent] = [measured[2 * index], measured[2 * index + 1]];
    const perRound = idempotent.runs.map(
      (run, i) => (run.serverCpuMicrosecondsPerRequest ?? NaN) / (plain.runs[i].serverCpuMicrosecondsPerRequest ?? NaN) - 1,
    );
    const overhead = round(median(perRound) * 100, 1);
    console.log(`  ${store.label}: @Idempotent() adds ${overhead} % server CPU per request (median of per-round ratios; target <= 15 %)`);
    return { store: store.label, cpuOverheadPercent: overhead, perRound: perRound.map((r) => round(r * 100, 1)) };
  });
  return { measured, overheads };
}
