/**
 * The data source the TypeORM CLI reads (`npm run migration:generate` etc.).
 *
 * CLI only: the app never imports this file. It reads the same environment
 * as the app, validated as at the app's boot (`loadConfig`), and finds
 * entities by glob because the CLI has no Nest module graph to collect them from.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { readDotEnv } from './core/config/dot-env';
import { createDataSource } from './core/database/create-data-source';
import { dataSourceOptions } from './core/database/data-source-options';
import { loadConfig } from './core/settings/load-config';

const config = loadConfig({ ...readDotEnv(), ...process.env });

export default createDataSource({
  ...dataSourceOptions(config.database),
  entities: [join(__dirname, 'features', '**', '*.entity.{ts,js}')],
});
