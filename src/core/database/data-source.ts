/**
 * The data source the TypeORM CLI reads (`npm run migration:generate` etc.).
 *
 * CLI only: the app never imports this file. It reads the same environment
 * and the same validated config as the app, and finds entities by glob
 * because the CLI has no Nest module graph to collect them from.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { loadConfig } from '../settings/load-config';
import { readDotEnv } from '../config/dot-env';
import { createDataSource } from './create-data-source';
import { dataSourceOptions } from './data-source-options';

const config = loadConfig({ ...readDotEnv(), ...process.env });

export default createDataSource({
  ...dataSourceOptions(config.database),
  entities: [join(__dirname, '..', '..', 'features', '**', '*.entity.{ts,js}')],
});
