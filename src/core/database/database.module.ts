import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { createDataSource } from './create-data-source';
import { dataSourceOptions } from './data-source-options';
import { runBootMigrations } from './run-migrations';
import { PinoTypeOrmLogger } from './typeorm-logger';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import type { Logger as PinoLogger } from 'pino';
import { DependencyBreakers } from '../circuit-breaker/dependency-breakers';

/**
 * TypeORM on SQLite (zero infrastructure) or PostgreSQL (`DATABASE_URL`).
 *
 * Feature entities are picked up through `TypeOrmModule.forFeature([...])` in
 * the feature's own module (`autoLoadEntities`), so core never lists them.
 * Pending migrations run before the app listens when `DATABASE_MIGRATIONS_RUN`
 * is true (the default outside production).
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG, ROOT_LOGGER, DependencyBreakers],
      useFactory: (config: AppConfig, logger: PinoLogger, breakers: DependencyBreakers) => ({
        ...dataSourceOptions(config.database, new PinoTypeOrmLogger(logger, config.database.logging)),
        autoLoadEntities: true,
        // Fail fast at boot: Kubernetes restarts the pod, with back-off.
        retryAttempts: 0,
        migrationsRun: config.database.migrationsRun,
        circuitBreakers: breakers,
      }),
      dataSourceFactory: async (options) => {
        const { migrationsRun, circuitBreakers, ...rest } = options as DataSourceOptions & {
          migrationsRun: boolean;
          circuitBreakers: DependencyBreakers;
        };
        // PostgreSQL only: SQLite has no connection to obtain over a network, and the zero-infrastructure default stays off the breaker.
        const breaker = rest.type === 'postgres' ? circuitBreakers.for('database') : undefined;
        const dataSource = await createDataSource({ ...rest, migrationsRun: false } as DataSourceOptions, breaker).initialize();
        await runBootMigrations(dataSource, migrationsRun);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
