import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { type ConnectRetry, connectWithRetry } from './connect-retry';
import { createDataSource } from './create-data-source';
import { dataSourceOptions } from './data-source-options';
import { runBootMigrations } from './run-migrations';
import { PinoTypeOrmLogger } from './typeorm-logger';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import type { Logger as PinoLogger } from 'pino';
import { DependencyBreakers } from '../circuit-breaker/dependency-breakers';

/** What the data source factory needs for the first connection, passed along with the options. */
interface BootConnect {
  url: string;
  retry: ConnectRetry;
  logger: PinoLogger;
}

/**
 * TypeORM on SQLite (zero infrastructure) or PostgreSQL (`DATABASE_URL`).
 *
 * Feature entities are picked up through `TypeOrmModule.forFeature([...])` in
 * the feature's own module (`autoLoadEntities`), so core never lists them.
 * Pending migrations run before the app listens when `DATABASE_MIGRATIONS_RUN`
 * is true (the default outside production).
 *
 * The first connection is retried with back-off (`DATABASE_CONNECT_RETRIES`,
 * {@link connectWithRetry}), one JSON line per attempt; when it cannot be made,
 * one fatal line and a `StartupError`, never Nest's own retry log.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG, ROOT_LOGGER, DependencyBreakers],
      useFactory: (config: AppConfig, logger: PinoLogger, breakers: DependencyBreakers) => ({
        ...dataSourceOptions(config.database, new PinoTypeOrmLogger(logger, config.database.logging)),
        autoLoadEntities: true,
        // The retries are connectWithRetry's; Nest's own would log its multi-line error for each.
        retryAttempts: 0,
        toRetry: () => false,
        migrationsRun: config.database.migrationsRun,
        bootConnect: { url: config.database.url, retry: config.database.connectRetry, logger },
        circuitBreakers: breakers,
      }),
      dataSourceFactory: async (options) => {
        const { migrationsRun, bootConnect, circuitBreakers, ...rest } = options as DataSourceOptions & {
          migrationsRun: boolean;
          bootConnect: BootConnect;
          circuitBreakers: DependencyBreakers;
        };
        // PostgreSQL only: SQLite has no connection to obtain over a network, and the zero-infrastructure default stays off the breaker.
        const breaker = rest.type === 'postgres' ? circuitBreakers.for('database') : undefined;
        const dataSource = await connectWithRetry(
          () => createDataSource({ ...rest, migrationsRun: false } as DataSourceOptions, breaker).initialize(),
          bootConnect.url,
          bootConnect.retry,
          bootConnect.logger,
        );
        await runBootMigrations(dataSource, migrationsRun);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
