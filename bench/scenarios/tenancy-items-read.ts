import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import type { Bench } from '../bench';
import { seedItem } from '../fixtures';
import { AUDIENCE, ISSUER, randomSecret, secretKey } from '../identity';
import { type MeasuredLoad, type SideBySideRun, printTable, round } from '../measurement';
import { MAIN, READY, productionEnv, settings } from '../settings';
import { median } from '../support';

/**
 * What tenancy costs on the items read path (docs/tenancy.md): the production
 * build with tenancy off and with `TENANT_CLAIM` set, both loaded in the same
 * rounds, each on its own SQLite file with one seeded item: `GET /items/:id`
 * (the cache-aside read) and `GET /items` (a page from the database, where
 * the tenant condition is added to the query). The overhead is the median of
 * the per-round ratios of server CPU per request (target <= 10 %).
 *
 * Each route is then also loaded with both servers side by side
 * ({@link Bench.measureSideBySide}: off and on at the same time, on the same
 * core), and the median of the per-run ratios of their CPU per request is
 * printed: a slow spell of a shared machine then falls on both in the same
 * milliseconds, where in turns it falls on one (docs/performance.md#tenancy).
 */
export async function tenancyItemsRead(bench: Bench): Promise<Record<string, unknown>> {
  const secret = randomSecret();
  const token = (claims: Record<string, unknown>) =>
    `Bearer ${sign({ sub: 'bench-user', scope: 'items:read items:write', ...claims }, secretKey(secret), {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 3600,
    })}`;
  const modes = [
    { label: 'tenancy off', env: {} as Record<string, string>, authorization: token({}) },
    { label: 'tenancy on', env: { TENANT_CLAIM: 'tenant_id' }, authorization: token({ tenant_id: 'bench-tenant' }) },
  ];
  const base = productionEnv(bench.workDir, { AUTH_JWT_SECRET: secret });
  console.log('GET /items/:id and GET /items with tenancy off and on, in rounds');
  const results = await bench.withAll(
    modes.map((mode, index) => ({
      nodeArgs: MAIN,
      env: { ...base, ...mode.env, DATABASE_URL: `sqlite:${join(bench.workDir, `tenancy-${index}.sqlite`)}` },
      readyPath: READY,
    })),
    async (servers) => {
      const itemPaths = await Promise.all(modes.map((mode, index) => seedItem(servers[index], mode.authorization)));
      const subjects = modes.flatMap((mode, index) => [
        {
          name: `GET /items/:id (${mode.label})`,
          server: servers[index],
          path: itemPaths[index],
          headers: { authorization: mode.authorization },
        },
        {
          name: `GET /items (${mode.label})`,
          server: servers[index],
          path: '/items?limit=20',
          headers: { authorization: mode.authorization },
        },
      ]);
      const inRounds = await bench.measureInRounds(subjects);
      const sideBySide: SideBySideRun[][] = [];
      for (const routeIndex of [0, 1]) {
        sideBySide.push(
          await bench.measureSideBySide(
            subjects[routeIndex],
            subjects[2 + routeIndex],
            settings.sideBySideRuns,
            `${ROUTES[routeIndex]} side by side`,
          ),
        );
      }
      return { inRounds, sideBySide };
    },
  );
  const { inRounds: measured, sideBySide } = results;
  printTable(measured);
  const overheads = ROUTES.map((route, routeIndex) => {
    const [off, on] = [measured[routeIndex], measured[2 + routeIndex]];
    const perRound = on.runs.map((run, i) => cpuRatio(off.runs[i], run) - 1);
    const perRun = sideBySide[routeIndex].map((run) => cpuRatio(run.a, run.b) - 1);
    const overhead = round(median(perRound) * 100, 1);
    const sideBySideOverhead = round(median(perRun) * 100, 1);
    console.log(`  ${route}: tenancy on adds ${overhead} % server CPU per request (median of per-round ratios; target <= 10 %)`);
    console.log(`  ${route}: side by side, tenancy on adds ${sideBySideOverhead} % (median of per-run ratios)`);
    return {
      route,
      cpuOverheadPercent: overhead,
      perRound: perRound.map((r) => round(r * 100, 1)),
      sideBySideCpuOverheadPercent: sideBySideOverhead,
      sideBySidePerRun: perRun.map((r) => round(r * 100, 1)),
    };
  });
  return { measured, sideBySide, overheads };
}

const ROUTES = ['GET /items/:id', 'GET /items'];

/** `on`'s server CPU per request divided by `off`'s. */
function cpuRatio(off: MeasuredLoad, on: MeasuredLoad): number {
  return (on.serverCpuMicrosecondsPerRequest ?? NaN) / (off.serverCpuMicrosecondsPerRequest ?? NaN);
}
