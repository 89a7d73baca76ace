import type { QueryRunner } from 'typeorm';

/** Column types for a migration, chosen for the database it runs on. */
export interface PortableColumnTypes {
  /** `uuid` on PostgreSQL, `varchar` on SQLite. */
  uuid: string;
  /** `timestamptz` (an instant) on PostgreSQL, `datetime` (UTC text) on SQLite. */
  timestamp: string;
  /** The default for a timestamp column: the current instant. */
  now: string;
}

/**
 * Lets one migration file serve both databases: write it with TypeORM's
 * `Table` API and take the few dialect-specific types from here.
 *
 * @example
 * const t = portableColumnTypes(queryRunner);
 * new TableColumn({ name: 'created_at', type: t.timestamp, default: t.now })
 */
export function portableColumnTypes(queryRunner: QueryRunner): PortableColumnTypes {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  return postgres
    ? { uuid: 'uuid', timestamp: 'timestamptz', now: 'now()' }
    : { uuid: 'varchar', timestamp: 'datetime', now: "datetime('now')" };
}
