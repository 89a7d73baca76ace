import type { DataSourceOptions, Logger as TypeOrmLogger } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { migrations } from '../../../migrations';

/**
 * TypeORM options for the configured database. Used by the app (with
 * `autoLoadEntities`) and by the CLI data source (with an entity glob).
 *
 * - `synchronize` is hard-coded off: the schema changes only through migrations.
 * - `migrationsRun` is off here because the chassis runs migrations itself,
 *   under a PostgreSQL advisory lock (see `run-migrations.ts`).
 * - Migrations are listed explicitly (`migrations/index.ts`): glob discovery
 *   uses a dynamic `import()` that test runners' loaders do not see.
 * - `logger`: the app passes `PinoTypeOrmLogger` so TypeORM logs as JSON
 *   without query parameters; the migration CLI keeps TypeORM's console logger.
 */
export function dataSourceOptions(db: DatabaseConfig, logger?: TypeOrmLogger): DataSourceOptions {
  const common = {
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTransactionMode: 'all' as const,
    logging: db.logging ? ('all' as const) : (['error', 'warn', 'migration'] as const as ('error' | 'warn' | 'migration')[]),
    ...(logger ? { logger } : {}),
  };
  if (db.type === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.sqlitePath ?? ':memory:',
      // WAL lets readers run while a write is in progress; foreign keys are
      // switched on by the driver on every connection.
      enableWAL: db.sqlitePath !== ':memory:',
      // better-sqlite3 waits this long (ms) on a locked database before SQLITE_BUSY.
      timeout: db.connectTimeoutSeconds * 1000,
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: db.url,
    poolSize: db.poolSize,
    connectTimeoutMS: db.connectTimeoutSeconds * 1000,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install,
    // so the service needs no CREATE EXTENSION privilege.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    ssl: sslOptions(db),
    extra: {
      idleTimeoutMillis: db.idleTimeoutSeconds * 1000,
      // Client-side limits, for when the server cannot answer at all (a black-holed
      // connection): slightly past the statement timeout so the server's own error wins
      // when it can send one; the connection is then evicted (createDataSource).
      ...(db.statementTimeoutSeconds > 0 ? { query_timeout: clientQueryTimeoutMs(db.statementTimeoutSeconds) } : {}),
      // TCP keep-alive probes find a dead peer on an idle pooled connection.
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEP_ALIVE_INITIAL_DELAY_MS,
      // Server-side limits, so a runaway query or a forgotten transaction
      // cannot hold a connection for ever. 0 disables.
      statement_timeout: db.statementTimeoutSeconds * 1000,
      idle_in_transaction_session_timeout: db.idleTimeoutSeconds * 1000,
    },
  };
}

/** Idle time before the first TCP keep-alive probe on a pooled connection (docs/database.md). */
export const KEEP_ALIVE_INITIAL_DELAY_MS = 10_000;

/** The client-side query timeout for a given server-side statement timeout (docs/database.md). */
export function clientQueryTimeoutMs(statementTimeoutSeconds: number): number {
  return (statementTimeoutSeconds + 2) * 1000;
}

function sslOptions(db: DatabaseConfig): false | { rejectUnauthorized: boolean; ca?: string } {
  if (db.ssl === 'disable') return false;
  // `require` encrypts without verifying the server (libpq's sslmode=require);
  // `verify-full` checks the certificate chain and host name.
  return { rejectUnauthorized: db.ssl === 'verify-full', ca: db.sslCa };
}
