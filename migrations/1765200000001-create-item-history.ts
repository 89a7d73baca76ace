import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { dropTenantRowLevelSecurity, portableColumnTypes, tenantRowLevelSecurity } from '../src/core';

/**
 * The items' history (`item_history`), written from their domain events;
 * tenant-scoped like items (with PostgreSQL's row-level security policy).
 * One file for SQLite and PostgreSQL.
 */
export class CreateItemHistory1765200000001 implements MigrationInterface {
  name = 'CreateItemHistory1765200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableColumnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'item_history',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true, isGenerated: true, generationStrategy: 'uuid' },
          { name: 'item_id', type: t.uuid },
          { name: 'owner_id', type: 'varchar', length: '255' },
          { name: 'event_id', type: t.uuid },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'version', type: 'integer' },
          { name: 'changes', type: 'text', isNullable: true },
          { name: 'occurred_at', type: t.timestamp },
          { name: 'tenant_id', type: 'varchar', length: '128', default: "''" },
        ],
        indices: [
          { name: 'IDX_item_history_item_owner', columnNames: ['item_id', 'owner_id'] },
          { name: 'UQ_item_history_event_id', columnNames: ['event_id'], isUnique: true },
          { name: 'IDX_item_history_tenant_id', columnNames: ['tenant_id'] },
        ],
      }),
    );
    await tenantRowLevelSecurity(queryRunner, 'item_history');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTenantRowLevelSecurity(queryRunner, 'item_history');
    await queryRunner.dropTable('item_history');
  }
}
