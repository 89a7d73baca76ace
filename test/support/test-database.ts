import { Client } from 'pg';

/**
 * The database e2e suites run against: in-memory SQLite by default (each app
 * gets a fresh one), or the PostgreSQL in `TEST_DATABASE_URL` when the
 * integration suite runs (`npm run test:integration`). Any test database
 * name works (see {@link isTestDatabaseName}), so two runs on one machine can
 * each use their own, e.g. `postgres://postgres@127.0.0.1:5432/test_run2`.
 */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'sqlite::memory:';
}

/**
 * Whether a database may be emptied by the tests: named `test`, `test_<anything>`
 * or `<anything>_test`, so a real database is never wiped by mistake.
 */
export function isTestDatabaseName(name: string): boolean {
  return /^(test|test_\w+|\w+_test)$/.test(name);
}

/**
 * Empties the PostgreSQL test database (drops and recreates the `public`
 * schema) so each suite starts from migrations, creating the database first
 * when it does not exist. A no-op for SQLite.
 * @throws Error when the database's name is not a test database's ({@link isTestDatabaseName}).
 */
export async function resetTestDatabase(url = testDatabaseUrl()): Promise<void> {
  if (!url.startsWith('postgres')) return;
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!isTestDatabaseName(name)) {
    throw new Error(
      `refusing to reset database "${name}": the tests empty their database, so TEST_DATABASE_URL must name a test database ("test", "test_<name>" or "<name>_test")`,
    );
  }
  const client = await connectCreatingDatabase(url, name);
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

/** A connection to `url`; when its database does not exist yet (3D000), creates it first through the server's `postgres` database. */
async function connectCreatingDatabase(url: string, name: string): Promise<Client> {
  try {
    const client = new Client({ connectionString: url });
    await client.connect();
    return client;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    // The name passed isTestDatabaseName (word characters only), so quoting it is enough.
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}
