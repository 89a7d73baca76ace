import { Column, type ColumnOptions } from 'typeorm';

/** The column type {@link TimestampColumn} declares; SQLite stores it as `datetime` (see `portable-timestamp.ts`). */
export const PORTABLE_TIMESTAMP_TYPE = 'timestamptz';

/**
 * An ordinary timestamp column (a due date, an expiry, a `sentAt`) that
 * holds the same instant on SQLite and PostgreSQL: `timestamptz` on
 * PostgreSQL, `datetime` (UTC text, millisecond precision) on SQLite. The
 * property is a `Date`; `createdAt`/`updatedAt` keep TypeORM's
 * `@CreateDateColumn`/`@UpdateDateColumn`. Its migration column is
 * `{ type: portableColumnTypes(queryRunner).timestamp }`.
 *
 * @param options TypeORM's column options (`name`, `nullable`, `default`…); `type` is set here.
 * @example
 * @TimestampColumn({ name: 'due_at', nullable: true })
 * dueAt!: Date | null;
 */
export function TimestampColumn(options: Omit<ColumnOptions, 'type'> = {}): PropertyDecorator {
  return Column({ ...options, type: PORTABLE_TIMESTAMP_TYPE });
}
