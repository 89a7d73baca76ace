import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Builds a DataSource whose date columns mean the same instant on every database.
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
  return dataSource;
}
