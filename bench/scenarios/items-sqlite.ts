import type { Bench } from '../bench';
import { seedItem } from '../fixtures';
import type { Measurement } from '../measurement';
import { MAIN, READY } from '../settings';

/** Scenario (b): `GET /items/:id` of one seeded item, on SQLite. */
export function itemsSqliteScenario(bench: Bench, secretEnv: Record<string, string>, secretAuth: string): Promise<Measurement> {
  console.log('(b) GET /items/:id — SQLite');
  return bench.with(MAIN, secretEnv, READY, async (server) =>
    bench.measure('(b) GET /items/:id, SQLite', server, await seedItem(server, secretAuth), { authorization: secretAuth }),
  );
}
