import type { DataSource, Migration } from 'typeorm';

/**
 * An arbitrary but fixed key for `pg_advisory_lock`, shared by every replica
 * and the migration CLI ("nest-chassis migrations" hashed to a 32-bit int).
 */
export const MIGRATION_LOCK_KEY = 727_368_211;

/**
 * Runs pending migrations, all in one transaction.
 *
 * TypeORM takes no lock of its own, so on PostgreSQL the run is wrapped in a
 * session-level advisory lock: when two replicas start at once, the second
 * waits, then finds nothing left to run. SQLite serialises writers itself.
 *
 * @returns the migrations that were applied by this call.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  return withMigrationLock(dataSource, () => dataSource.runMigrations({ transaction: 'all' }));
}

/** What the boot did with migrations, per data source: read by the ready line (`serve`). */
export interface BootMigrations {
  /** Migrations the app knows (`migrations/index.ts`). */
  known: number;
  /** Applied by this boot; undefined when the boot does not run them (`DATABASE_MIGRATIONS_RUN=false`). */
  applied?: string[];
}

const bootMigrations = new WeakMap<DataSource, BootMigrations>();

/** Runs pending migrations at boot (as {@link runMigrations}) and remembers what was applied. */
export async function runBootMigrations(dataSource: DataSource, run: boolean): Promise<void> {
  const applied = run ? (await runMigrations(dataSource)).map((migration) => migration.name) : undefined;
  bootMigrations.set(dataSource, { known: dataSource.migrations.length, applied });
}

/** What {@link runBootMigrations} recorded for `dataSource`. */
export function migrationsAtBoot(dataSource: DataSource): BootMigrations {
  return bootMigrations.get(dataSource) ?? { known: dataSource.migrations.length };
}

/** Reverts the last applied migration, under the same lock. */
export async function revertLastMigration(dataSource: DataSource): Promise<void> {
  await withMigrationLock(dataSource, () => dataSource.undoLastMigration({ transaction: 'all' }));
}

async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return work();
  // The lock belongs to a session, so it is taken and released on one
  // dedicated connection held for the whole run.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
