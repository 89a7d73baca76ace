import { DataSource, type DataSourceOptions } from 'typeorm';
import { markDatabaseError } from '../errors/dependency-faults';
import { isolateSqliteTransactions } from './sqlite-transactions';

/**
 * Builds a DataSource whose date columns mean the same instant on every database,
 * whose connection errors are recognisable as the database's (see below), and
 * whose SQLite transactions are isolated from each other ({@link isolateSqliteTransactions}).
 *
 * TypeORM maps `@CreateDateColumn`/`@UpdateDateColumn` to `timestamp` (no time
 * zone) on PostgreSQL; the chassis maps them to `timestamptz` so values are
 * stored as instants, whatever the server's or the process's time zone.
 * SQLite keeps its `datetime` (UTC text). One entity definition serves both.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  const dataSource = new DataSource(options);
  if (options.type === 'postgres') {
    const mapped = dataSource.driver.mappedDataTypes;
    mapped.createDate = 'timestamptz';
    mapped.updateDate = 'timestamptz';
    mapped.deleteDate = 'timestamptz';
  }
  if (options.type === 'better-sqlite3') isolateSqliteTransactions(dataSource, options.timeout ?? 5000);
  markConnectionErrors(dataSource);
  return dataSource;
}

/**
 * Marks errors raised while obtaining a pooled connection (refused, reset,
 * pool acquisition timeout): the driver passes them on raw, and the problem
 * filter needs to know they came from the database to answer 503, not 500.
 */
function markConnectionErrors(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as { obtainMasterConnection?: () => Promise<unknown> };
  const obtain = driver.obtainMasterConnection;
  if (typeof obtain !== 'function') return;
  driver.obtainMasterConnection = function obtainMasterConnection(this: unknown) {
    return obtain.call(this).catch((error: unknown) => Promise.reject(markDatabaseError(error)));
  };
}
