import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { portableColumnTypes } from '../src/core';

/**
 * The transactional outbox (`outbox_events`) and the handlers' inbox
 * (`processed_events`) of domain events (docs/jobs.md). One file for SQLite
 * and PostgreSQL (Table API + portable types). Payload and origin are JSON text.
 */
export class CreateOutbox1765200000000 implements MigrationInterface {
  name = 'CreateOutbox1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableColumnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'outbox_events',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true },
          { name: 'type', type: 'varchar', length: '200' },
          { name: 'payload', type: 'text' },
          { name: 'tenant_id', type: 'varchar', length: '128', default: "''" },
          { name: 'origin', type: 'text' },
          { name: 'created_at', type: t.timestamp },
          { name: 'published_at', type: t.timestamp, isNullable: true },
          { name: 'attempts', type: 'integer', default: 0 },
        ],
        indices: [{ name: 'IDX_outbox_events_pending', columnNames: ['published_at', 'created_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'processed_events',
        columns: [
          { name: 'event_id', type: t.uuid, isPrimary: true },
          { name: 'handler', type: 'varchar', length: '200', isPrimary: true },
          { name: 'processed_at', type: t.timestamp },
        ],
        indices: [{ name: 'IDX_processed_events_processed_at', columnNames: ['processed_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('processed_events');
    await queryRunner.dropTable('outbox_events');
  }
}
