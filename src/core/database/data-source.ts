/**
 * The data source the TypeORM CLI reads (`npm run migration:generate` etc.).
 *
 * CLI only: the app never imports this file. It reads the same environment
 * as the app, validated by `loadDatabaseConfig` (the application and database
 * variables, with the app's rules), and finds entities by glob
 * because the CLI has no Nest module graph to collect them from.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { loadDatabaseConfig } from './load-database-config';
import { readDotEnv } from '../config/dot-env';
import { createDataSource } from './create-data-source';
import { dataSourceOptions } from './data-source-options';

const config = loadDatabaseConfig({ ...readDotEnv(), ...process.env });

export default createDataSource({
  ...dataSourceOptions(config.database),
  entities: [join(__dirname, '..', '..', 'features', '**', '*.entity.{ts,js}')],
});
