import { Client } from 'pg';
import { type Server, answers, http } from './support';

/** Creates one item and returns its path, as the benchmarked user. */
export async function seedItem(server: Server, authorization: string): Promise<string> {
  const body = JSON.stringify({ sku: `bench-${Date.now()}`, name: 'Bench item', priceCents: 1234, currency: 'EUR' });
  const created = await http(server.port, '/items', {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body,
  });
  if (created.status !== 201) throw new Error(`seeding an item failed: ${created.status} ${created.body}`);
  return `/items/${(JSON.parse(created.body) as { id: string }).id}`;
}

/** PostgreSQL and Redis from the environment, or on loopback when they answer there; `bench` database created if missing. */
export async function postgresAndRedis(): Promise<{ databaseUrl: string; redisUrl: string } | string> {
  let databaseUrl = process.env.DATABASE_URL;
  let redisUrl = process.env.REDIS_URL;
  if (!databaseUrl) {
    if (!(await answers(5432))) return 'PostgreSQL does not answer on 127.0.0.1:5432 and DATABASE_URL is unset';
    const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    try {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'bench'");
      // A database of its own: never touches the `test` database other runs use.
      if (exists.rowCount === 0) await admin.query('CREATE DATABASE bench');
    } finally {
      await admin.end();
    }
    databaseUrl = 'postgres://postgres@127.0.0.1:5432/bench';
  }
  if (!redisUrl) {
    if (!(await answers(6379))) return 'Redis does not answer on 127.0.0.1:6379 and REDIS_URL is unset';
    redisUrl = 'redis://127.0.0.1:6379';
  }
  return { databaseUrl, redisUrl };
}
