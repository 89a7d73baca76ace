import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { dropTenantRowLevelSecurity, tenantRowLevelSecurity } from '../src/core';

/**
 * Items become tenant-scoped (`@TenantScoped()`, docs/tenancy.md): a `tenant_id`
 * column (existing rows, and every row written with tenancy off, get `''`),
 * its index, skus unique per tenant instead of across the catalogue, and on
 * PostgreSQL the row-level security policy keyed on `app.tenant_id`.
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
    await tenantRowLevelSecurity(queryRunner, 'items');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTenantRowLevelSecurity(queryRunner, 'items');
    await queryRunner.dropIndex('items', 'UQ_items_tenant_sku');
    await queryRunner.createIndex('items', new TableIndex({ name: 'UQ_items_sku', columnNames: ['sku'], isUnique: true }));
    await queryRunner.dropIndex('items', 'IDX_items_tenant_id');
    await queryRunner.dropColumn('items', 'tenant_id');
  }
}
