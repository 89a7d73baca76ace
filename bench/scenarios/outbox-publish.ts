import { join } from 'node:path';
import type { Bench } from '../bench';
import { bearer, randomSecret, secretKey } from '../identity';
import { printTable, round } from '../measurement';
import { CHASSIS_BENCH, READY, productionEnv } from '../settings';
import { median } from '../support';

/**
 * What publishing a domain event through the outbox costs a request: the same
 * authenticated POST that writes one row in a transaction (SQLite, in-process
 * jobs), with and without `DomainEvents.publish()` in that transaction. The
 * server's CPU includes what publishing sets off in the same process (the
 * relay nudged after the commit, the event's job), as a single-process
 * deployment pays it. In rounds, like the rest.
 */
export async function outboxPublish(bench: Bench): Promise<Record<string, unknown>> {
  const secret = randomSecret();
  const headers = { authorization: bearer(secretKey(secret), 'HS256', 'items:write'), 'content-type': 'application/json' };
  const body = JSON.stringify({ sku: 'BENCH-1', name: 'Bench item', priceCents: 1250, currency: 'EUR' });
  const env = {
    ...productionEnv(bench.workDir, { AUTH_JWT_SECRET: secret }),
    DATABASE_URL: `sqlite:${join(bench.workDir, 'outbox.sqlite')}`,
  };
  console.log('POST writing one row in a transaction, with and without a domain event through the outbox, in rounds');
  const measured = await bench.withAll([{ nodeArgs: CHASSIS_BENCH, env, readyPath: READY }], ([server]) =>
    bench.measureInRounds([
      { name: 'POST, one row written', server, path: '/bench/write', headers, method: 'POST', body },
      { name: 'POST, one row + DomainEvents.publish()', server, path: '/bench/write-publish', headers, method: 'POST', body },
    ]),
  );
  printTable(measured);
  const [plain, publishing] = measured;
  const perRound = publishing.runs.map(
    (run, i) => (run.serverCpuMicrosecondsPerRequest ?? NaN) / (plain.runs[i].serverCpuMicrosecondsPerRequest ?? NaN) - 1,
  );
  const overhead = round(median(perRound) * 100, 1);
  console.log(`  publishing through the outbox adds ${overhead} % server CPU per request (median of per-round ratios; target <= 10 %)`);
  return { measured, overhead: { cpuOverheadPercent: overhead, perRound: perRound.map((r) => round(r * 100, 1)) } };
}
