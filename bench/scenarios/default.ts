import type { Bench } from '../bench';
import { bearer, randomSecret, secretKey } from '../identity';
import { type Measurement, perRoundCpuEfficiency, perRoundRatios, printTable, round, target } from '../measurement';
import { productionEnv } from '../settings';
import { coldStartScenario } from './cold-start';
import { itemsPostgresScenario } from './items-postgres';
import { itemsSqliteScenario } from './items-sqlite';
import { noIoScenario } from './no-io';

/**
 * `npm run bench`: scenarios (a), (b), (c) and the cold start, one after the
 * other, then the targets of docs/performance.md and the table.
 */
export async function defaultScenarios(bench: Bench): Promise<Record<string, unknown>> {
  const secret = randomSecret();
  const secretAuth = bearer(secretKey(secret), 'HS256', 'items:read items:write');
  const secretEnv = productionEnv(bench.workDir, { AUTH_JWT_SECRET: secret });

  const { bare, plainNest, aSecret, aJwks, sideBySide, jwksToSecret, jwksToSecretInTurns, sideBySideFailures } = await noIoScenario(
    bench,
    secretEnv,
    secretAuth,
  );
  const bSqlite = await itemsSqliteScenario(bench, secretEnv, secretAuth);
  const cPostgres = await itemsPostgresScenario(bench, secret, secretAuth);
  const coldStart = await coldStartScenario(bench, secretEnv);

  const rss = [aSecret, aJwks, bSqlite, ...('skipped' in cPostgres ? [] : [cPostgres])].map((m) => m.rssAfterLoadMb ?? Infinity);
  const targets = [
    target('(a) server CPU per request ≤ 2.5 × bare Fastify’s (efficiency ≥ 0.40)',
      `${aSecret.cpuEfficiencyToBareFastify} (${aSecret.serverCpuMicrosecondsPerRequest} / ${bare.serverCpuMicrosecondsPerRequest} µs); req/s ${aSecret.ratioToBareFastify}×`,
      (aSecret.cpuEfficiencyToBareFastify ?? 0) >= 0.4), // prettier-ignore
    target('(a) zero errors and non-2xx',
      `${aSecret.errors + aJwks.errors} errors, ${aSecret.non2xx + aJwks.non2xx} non-2xx; side by side ${sideBySideFailures} of either`,
      aSecret.errors + aSecret.non2xx + aJwks.errors + aJwks.non2xx + sideBySideFailures === 0), // prettier-ignore
    target('(a) JWKS within 10 % of shared secret (req/s, side by side)', `${round(jwksToSecret * 100, 1)} %`, jwksToSecret >= 0.9),
    target('(a) p99 ≤ 25 ms at 50 connections', `${aSecret.latencyP99Ms} / ${aJwks.latencyP99Ms} ms`,
      Math.max(aSecret.latencyP99Ms, aJwks.latencyP99Ms) <= 25), // prettier-ignore
    target('RSS after load ≤ 200 MB', `max ${Math.max(...rss)} MB`, Math.max(...rss) <= 200),
    target('cold start ≤ 1.5 s (tracing off)', `${coldStart.tracingOff.medianMs} ms`, coldStart.tracingOff.medianMs <= 1500),
  ];
  printTable([bare, plainNest, aSecret, aJwks, bSqlite, ...('skipped' in cPostgres ? [] : [cPostgres])]);
  const cached = coldStart.compileCache;
  const withCache = cached ? `; with the compile cache ${cached.tracingOff.medianMs} ms (off), ${cached.tracingOn.medianMs} ms (on)` : '';
  console.log(
    `\nCold start: ${coldStart.tracingOff.medianMs} ms (tracing off), ${coldStart.tracingOn.medianMs} ms (tracing on)${withCache}`,
  );
  console.log('\nTargets');
  for (const t of targets) console.log(`  ${t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${t.value}`);
  const perRound = (a: Measurement, b: Measurement) => perRoundRatios(a, b).map((ratio) => round(ratio, 3));
  const cpuPerRound = perRoundCpuEfficiency(aSecret, bare).map((ratio) => round(ratio, 3));
  console.log(`\nPer round: (a) shared secret CPU efficiency (bare µs ÷ chassis µs) ${cpuPerRound.join(', ')}`);
  console.log(
    `Per round: (a) shared secret ÷ bare req/s ${perRound(aSecret, bare).join(', ')}; JWKS ÷ shared secret ${perRound(aJwks, aSecret).join(', ')}`,
  );
  console.log(
    `JWKS ÷ shared secret: side by side ${sideBySide.map((pair) => pair.map((run) => run.ratio).join(', ')).join('; ')} → median ${jwksToSecret}; ` +
      `in turns (median of the rounds above) ${jwksToSecretInTurns}`,
  );
  return {
    scenarios: { bare, plainNest, aSecret, aJwks, bSqlite, cPostgres },
    jwksToSharedSecret: { sideBySide: jwksToSecret, inTurns: jwksToSecretInTurns, sideBySidePairs: sideBySide },
    coldStart,
    targets,
  };
}
