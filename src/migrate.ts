/**
 * The migration entry point, beside `main.ts` (the service's): for
 * development (`npm run migration:run`) and for the container image
 * (`node dist/src/migrate.js run`, the chart's pre-install/pre-upgrade Job),
 * so production needs no TypeScript toolchain.
 *
 *   run     apply pending migrations (under the PostgreSQL advisory lock)
 *   revert  undo the last applied migration
 *   show    list migrations and whether each is applied; exit 1 if any is pending
 *
 * Reads the same environment (and `.env`) as the app and validates all of it
 * as the app's boot does (`loadConfig`), so a release with a bad setting
 * fails at its migration Job, before anything is migrated.
 */
import 'reflect-metadata';
import { ConfigValidationError } from './core/config/config.error';
import { readDotEnv } from './core/config/dot-env';
import { createDataSource } from './core/database/create-data-source';
import { dataSourceOptions } from './core/database/data-source-options';
import { revertLastMigration, runMigrations } from './core/database/run-migrations';
import { loadConfig } from './core/settings/load-config';

async function main(command: string | undefined): Promise<number> {
  const config = loadConfig({ ...readDotEnv(), ...process.env });
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
        process.stderr.write('usage: migrate (run | revert | show)\n');
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
