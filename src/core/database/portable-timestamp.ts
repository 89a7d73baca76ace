import type { DataSource } from 'typeorm';
import { PORTABLE_TIMESTAMP_TYPE } from './timestamp-column.decorator';

/** The parts of TypeORM's SQLite driver that read a column's type. */
interface SqliteDriverTypes {
  supportedDataTypes: string[];
  normalizeType(column: { type?: unknown }): string;
  preparePersistentValue(value: unknown, column: { type?: unknown }): unknown;
  prepareHydratedValue(value: unknown, column: { type?: unknown }): unknown;
}

/**
 * Lets SQLite serve {@link TimestampColumn}'s `timestamptz` columns as its
 * `datetime`: TypeORM's SQLite driver knows no `timestamptz`, and converts
 * `Date`s to and from UTC text only for columns typed `datetime`.
 */
export function servePortableTimestampsOnSqlite(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as SqliteDriverTypes;
  const asDatetime = <C extends { type?: unknown }>(column: C): C =>
    column.type === PORTABLE_TIMESTAMP_TYPE ? (Object.create(column, { type: { value: 'datetime' } }) as C) : column;
  const { normalizeType, preparePersistentValue, prepareHydratedValue } = driver;
  driver.normalizeType = (column) => normalizeType.call(driver, asDatetime(column));
  driver.preparePersistentValue = (value, column) => preparePersistentValue.call(driver, value, asDatetime(column));
  driver.prepareHydratedValue = (value, column) => prepareHydratedValue.call(driver, value, asDatetime(column));
}
