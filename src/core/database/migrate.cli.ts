/**
 * Migration command line, for development (`npm run migration:run`) and for
 * the container image (`node dist/src/core/database/migrate.cli.js run`), so
 * production needs no TypeScript toolchain.
 *
 *   run     apply pending migrations (under the PostgreSQL advisory lock)
 *   revert  undo the last applied migration
 *   show    list migrations and whether each is applied; exit 1 if any is pending
 *
 * Reads the same environment (and `.env`) as the app, validated by
 * `loadDatabaseConfig` (the application and database variables, with the app's rules).
 */
import 'reflect-metadata';
import { ConfigValidationError } from '../config/config.error';
import { readDotEnv } from '../config/dot-env';
import { loadDatabaseConfig } from './load-database-config';
import { createDataSource } from './create-data-source';
import { dataSourceOptions } from './data-source-options';
import { revertLastMigration, runMigrations } from './run-migrations';

async function main(command: string | undefined): Promise<number> {
  const config = loadDatabaseConfig({ ...readDotEnv(), ...process.env });
  const dataSource = await createDataSource(dataSourceOptions(config.database)).initialize();
  try {
    switch (command) {
      case 'run': {
        const applied = await runMigrations(dataSource);
        process.stdout.write(applied.length ? applied.map((m) => `applied ${m.name}\n`).join('') : 'no pending migrations\n');
        return 0;
      }
      case 'revert':
        await revertLastMigration(dataSource);
        process.stdout.write('reverted the last migration\n');
        return 0;
      case 'show': {
        const pending = await dataSource.showMigrations();
        process.stdout.write(pending ? 'pending migrations exist\n' : 'all migrations applied\n');
        return pending ? 1 : 0;
      }
      default:
        process.stderr.write('usage: migrate.cli (run | revert | show)\n');
        return 2;
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigValidationError ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
