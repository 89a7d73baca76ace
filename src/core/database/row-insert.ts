import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { isTenantScoped } from '../tenancy/tenant-scoped.decorator';

/** The `INSERT` statements built so far, per entity and set of columns (the columns' property paths, joined). */
const statements = new WeakMap<EntityMetadata, Map<string, string>>();

/**
 * Inserts `row` into `target`'s table through `manager` (in its transaction
 * when it has one) with one parametrized `INSERT`, and reads nothing back.
 * For the chassis's own tables on the request path (the outbox, the inbox).
 *
 * TypeORM does every part that depends on the database: its metadata names
 * the table and columns, its driver quotes them, converts each value as the
 * query builder does (`preparePersistentValue`: JSON columns, timestamps,
 * transformers) and numbers the parameters (`escapeQueryWithParameters`:
 * `$1` on PostgreSQL, `?` on SQLite). The statement text is built once per
 * entity and set of columns. Columns the row leaves `undefined` are left out
 * (the database's default applies); `null` is written as NULL.
 *
 * Why not `createQueryBuilder().insert()`: that builds and parses the
 * statement again on every call, asks for generated columns back and
 * broadcasts insert events (docs/performance.md#the-outbox-row-as-one-plain-insert-2026-12-05).
 * Nothing the chassis inserts this way has listeners, a version column or
 * an inheritance discriminator.
 *
 * @throws Error when the entity has a version column or a discriminator (the query builder fills those),
 *   or is `@TenantScoped()` (the query builder stamps the tenant).
 * @throws QueryFailedError as `manager.query` does (a unique violation included).
 */
export async function insertRow<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  row: Entity,
): Promise<void> {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(target);
  const columns: ColumnMetadata[] = [];
  const parameters: ObjectLiteral = {};
  for (const column of metadata.columns) {
    const value: unknown = column.getEntityValue(row);
    if (value === undefined) continue;
    parameters[`p${columns.length}`] = driver.preparePersistentValue(value, column);
    columns.push(column);
  }
  const [sql, values] = driver.escapeQueryWithParameters(statementFor(metadata, columns, driver), parameters);
  await manager.query(sql, values);
}

function statementFor(metadata: EntityMetadata, columns: ColumnMetadata[], driver: Pick<Driver, 'escape'>): string {
  let byColumns = statements.get(metadata);
  if (byColumns === undefined) {
    // The tenant is stamped by the query builder's tenant scope (docs/tenancy.md), which this statement does not go through.
    if (isTenantScoped(metadata.target))
      throw new Error(`insertRow: ${metadata.name} is @TenantScoped(); insert it through its repository`);
    if (metadata.versionColumn || metadata.discriminatorColumn) {
      throw new Error(`insertRow: ${metadata.name} has a version or discriminator column; use the query builder`);
    }
    byColumns = new Map();
    statements.set(metadata, byColumns);
  }
  const key = columns.map((column) => column.propertyPath).join(',');
  let sql = byColumns.get(key);
  if (sql === undefined) {
    const table = metadata.tablePath
      .split('.')
      .map((part) => driver.escape(part))
      .join('.');
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    const placeholders = columns.map((_column, index) => `:p${index}`).join(', ');
    sql = `INSERT INTO ${table} (${names}) VALUES (${placeholders})`;
    byColumns.set(key, sql);
  }
  return sql;
}
