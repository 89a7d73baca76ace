import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Items become tenant-scoped (`@TenantScoped()`, docs/tenancy.md): a `tenant_id`
 * column (existing rows, and every row written with tenancy off, get `''`),
 * its index, and skus unique per tenant instead of across the catalogue.
 */
export class AddItemsTenant1765000000000 implements MigrationInterface {
  name = 'AddItemsTenant1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('items', new TableColumn({ name: 'tenant_id', type: 'varchar', length: '128', default: "''" }));
    await queryRunner.createIndex('items', new TableIndex({ name: 'IDX_items_tenant_id', columnNames: ['tenant_id'] }));
    await queryRunner.dropIndex('items', 'UQ_items_sku');
    await queryRunner.createIndex(
      'items',
      new TableIndex({ name: 'UQ_items_tenant_sku', columnNames: ['tenant_id', 'sku'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('items', 'UQ_items_tenant_sku');
    await queryRunner.createIndex('items', new TableIndex({ name: 'UQ_items_sku', columnNames: ['sku'], isUnique: true }));
    await queryRunner.dropIndex('items', 'IDX_items_tenant_id');
    await queryRunner.dropColumn('items', 'tenant_id');
  }
}
