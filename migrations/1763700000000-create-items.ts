import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { portableColumnTypes } from '../src/core';

/** The items catalogue. One file for SQLite and PostgreSQL (Table API + portable types). */
export class CreateItems1763700000000 implements MigrationInterface {
  name = 'CreateItems1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableColumnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'items',
        columns: [
          { name: 'id', type: t.uuid, isPrimary: true, isGenerated: true, generationStrategy: 'uuid' },
          { name: 'owner_id', type: 'varchar', length: '255' },
          { name: 'sku', type: 'varchar', length: '64' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'description', type: 'varchar', length: '2000', isNullable: true },
          { name: 'price_cents', type: 'integer' },
          { name: 'currency', type: 'varchar', length: '3' },
          { name: 'created_at', type: t.timestamp, default: t.now },
          { name: 'updated_at', type: t.timestamp, default: t.now },
        ],
        indices: [
          { name: 'UQ_items_sku', columnNames: ['sku'], isUnique: true },
          { name: 'IDX_items_owner_id', columnNames: ['owner_id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('items');
  }
}
