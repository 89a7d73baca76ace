import type { z } from 'zod';
import { appSettings } from '../config/app.config';
import { loadSettings } from '../config/load-settings';
import type { EnvSource } from '../config/settings-block';
import { databaseSettings } from './database.config';
import { databaseSettingProblems, productionDatabaseProblems } from './database-settings.rules';

const blocks = { app: appSettings, database: databaseSettings };

/**
 * The configuration the database's command-line entry points read
 * (`migrate.cli.ts`, `data-source.ts`): the application and database
 * variables, with the same rules and refusals as at the app's boot. They load
 * only these because loading every concern's block from here would make
 * `database/` and the folders that use it import each other; the app's own
 * boot still validates everything.
 *
 * @throws ConfigValidationError listing every bad application or database variable.
 */
export function loadDatabaseConfig(source: EnvSource) {
  return loadSettings(blocks, source, (env: z.output<typeof appSettings.in> & z.output<typeof databaseSettings.in>) => [
    ...databaseSettingProblems(env),
    ...(env.NODE_ENV === 'production' ? productionDatabaseProblems(env) : []),
  ]);
}
