import type { Bench } from '../bench';
import { postgresAndRedis, seedItem } from '../fixtures';
import type { Measurement } from '../measurement';
import { MAIN, READY, productionEnv } from '../settings';

/**
 * Scenario (c): `GET /items/:id` of one seeded item on PostgreSQL with the
 * Redis cache; skipped (and said so) when neither answers.
 */
export async function itemsPostgresScenario(bench: Bench, secret: string, secretAuth: string): Promise<Measurement | { skipped: string }> {
  console.log('(c) GET /items/:id — PostgreSQL + Redis cache');
  const services = await postgresAndRedis();
  if (typeof services === 'string') {
    console.log(`  skipped: ${services}`);
    return { skipped: services };
  }
  const prefix = `bench-${process.pid}-${Date.now()}:`;
  const pgEnv = productionEnv(bench.workDir, {
    AUTH_JWT_SECRET: secret,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    CACHE_KEY_PREFIX: `${prefix}cache:`,
    RATE_LIMIT_REDIS_KEY_PREFIX: `${prefix}rate-limit:`,
  });
  return bench.with(MAIN, pgEnv, READY, async (server) =>
    bench.measure('(c) GET /items/:id, PostgreSQL + Redis', server, await seedItem(server, secretAuth), { authorization: secretAuth }),
  );
}
