import { Client } from 'pg';

/**
 * The database e2e suites run against: in-memory SQLite by default (each app
 * gets a fresh one), or the PostgreSQL in `TEST_DATABASE_URL` when the
 * integration suite runs (`npm run test:integration`).
 */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'sqlite::memory:';
}

/**
 * Empties the PostgreSQL test database (drops and recreates the `public`
 * schema) so each suite starts from migrations. A no-op for SQLite in memory.
 * Refuses any database not named `test`, so it cannot wipe a real one.
 */
export async function resetTestDatabase(url = testDatabaseUrl()): Promise<void> {
  if (!url.startsWith('postgres')) return;
  if (new URL(url).pathname !== '/test') throw new Error(`refusing to reset ${new URL(url).pathname}: only a database named "test"`);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}
