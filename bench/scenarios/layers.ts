import { join } from 'node:path';
import type { Bench } from '../bench';
import { bearer, randomSecret, secretKey } from '../identity';
import { type Measurement, pairedRatio, perRoundCpuEfficiency, printTable, round } from '../measurement';
import { BARE, CHASSIS_BENCH, PING, PLAIN_NEST, READY, productionEnv } from '../settings';
import { median } from '../support';

/**
 * Scenario (a) with one layer off at a time, to say what each layer costs.
 * Bench-only configurations: the product ships with all of them on.
 * Cost of a layer = server CPU µs per request with the full pipeline − without
 * that layer (CPU per request is far steadier than req/s on a shared machine).
 */
export async function layers(bench: Bench): Promise<Record<string, unknown>> {
  const secret = randomSecret();
  const auth = { authorization: bearer(secretKey(secret), 'HS256', 'items:read') };
  const base = productionEnv(bench.workDir, { AUTH_JWT_SECRET: secret });
  const variants: { name: string; env: Record<string, string>; path: string; headers: Record<string, string> }[] = [
    { name: 'full pipeline', env: {}, path: PING, headers: auth },
    { name: 'without access log (LOG_LEVEL=warn)', env: { LOG_LEVEL: 'warn' }, path: PING, headers: auth },
    { name: 'without metrics (METRICS_ENABLED=false)', env: { METRICS_ENABLED: 'false' }, path: PING, headers: auth },
    { name: 'without rate limiting (RATE_LIMIT_ENABLED=false)', env: { RATE_LIMIT_ENABLED: 'false' }, path: PING, headers: auth },
    { name: 'without compression (COMPRESSION_ENABLED=false)', env: { COMPRESSION_ENABLED: 'false' }, path: PING, headers: auth },
    { name: 'without authentication (@Public() route)', env: {}, path: '/bench/public-ping', headers: {} },
    {
      name: 'all five off (Nest + ids, context, security headers, errors)',
      env: { LOG_LEVEL: 'warn', METRICS_ENABLED: 'false', RATE_LIMIT_ENABLED: 'false', COMPRESSION_ENABLED: 'false' },
      path: '/bench/public-ping',
      headers: {},
    },
  ];
  console.log('Bare Fastify, NestJS on Fastify and every variant, in rounds');
  const measured = await bench.withAll(
    [
      { nodeArgs: BARE, env: {}, readyPath: PING },
      { nodeArgs: PLAIN_NEST, env: {}, readyPath: PING },
      ...variants.map((variant, index) => ({
        nodeArgs: CHASSIS_BENCH,
        env: { ...base, ...variant.env, DATABASE_URL: `sqlite:${join(bench.workDir, `layer-${index}.sqlite`)}` },
        readyPath: READY,
      })),
    ],
    ([bareServer, nestServer, ...variantServers]) =>
      bench.measureInRounds([
        { name: 'bare Fastify', server: bareServer, path: PING, headers: {} },
        { name: 'NestJS on Fastify, no chassis', server: nestServer, path: PING, headers: {} },
        ...variants.map((variant, index) => ({
          name: variant.name,
          server: variantServers[index],
          path: variant.path,
          headers: variant.headers,
        })),
      ]),
  );
  const [bare, plainNest, ...rows] = measured as [Measurement, Measurement, ...(Measurement & { costMicroseconds?: number })[]];
  const fullCpu = rows[0].serverCpuMicrosecondsPerRequest ?? NaN;
  for (const row of [plainNest, ...rows]) {
    row.ratioToBareFastify = pairedRatio(row, bare);
    row.cpuEfficiencyToBareFastify = round(median(perRoundCpuEfficiency(row, bare)), 3);
  }
  for (const row of rows) {
    if (row !== rows[0]) row.costMicroseconds = round(fullCpu - (row.serverCpuMicrosecondsPerRequest ?? NaN), 1);
  }
  printTable([bare, plainNest, ...rows]);
  console.log('\nPer-request cost of each layer (server CPU µs per request, full pipeline minus without it)');
  for (const row of rows.slice(1)) console.log(`  ${row.name}: ${row.costMicroseconds} µs`);
  return { bare, plainNest, layers: rows };
}
