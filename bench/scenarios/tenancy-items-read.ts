import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import type { Bench } from '../bench';
import { seedItem } from '../fixtures';
import { AUDIENCE, ISSUER, randomSecret, secretKey } from '../identity';
import { printTable, round } from '../measurement';
import { MAIN, READY, productionEnv } from '../settings';
import { median } from '../support';

/**
 * What tenancy costs on the items read path (docs/tenancy.md): the production
 * build with tenancy off and with `TENANT_CLAIM` set, both loaded in the same
 * rounds, each on its own SQLite file with one seeded item: `GET /items/:id`
 * (the cache-aside read) and `GET /items` (a page from the database, where
 * the tenant condition is added to the query). The overhead is the median of
 * the per-round ratios of server CPU per request (target <= 10 %).
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
  const measured = await bench.withAll(
    modes.map((mode, index) => ({
      nodeArgs: MAIN,
      env: { ...base, ...mode.env, DATABASE_URL: `sqlite:${join(bench.workDir, `tenancy-${index}.sqlite`)}` },
      readyPath: READY,
    })),
    async (servers) => {
      const itemPaths = await Promise.all(modes.map((mode, index) => seedItem(servers[index], mode.authorization)));
      return bench.measureInRounds(
        modes.flatMap((mode, index) => [
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
        ]),
      );
    },
  );
  printTable(measured);
  const overheads = ['GET /items/:id', 'GET /items'].map((route, routeIndex) => {
    const [off, on] = [measured[routeIndex], measured[2 + routeIndex]];
    const perRound = on.runs.map(
      (run, i) => (run.serverCpuMicrosecondsPerRequest ?? NaN) / (off.runs[i].serverCpuMicrosecondsPerRequest ?? NaN) - 1,
    );
    const overhead = round(median(perRound) * 100, 1);
    console.log(`  ${route}: tenancy on adds ${overhead} % server CPU per request (median of per-round ratios; target <= 10 %)`);
    return { route, cpuOverheadPercent: overhead, perRound: perRound.map((r) => round(r * 100, 1)) };
  });
  return { measured, overheads };
}
