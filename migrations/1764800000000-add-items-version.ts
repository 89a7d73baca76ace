import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** Items get a version (TypeORM `@VersionColumn`): the ETag of conditional requests. Existing rows start at 1. */
export class AddItemsVersion1764800000000 implements MigrationInterface {
  name = 'AddItemsVersion1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('items', new TableColumn({ name: 'version', type: 'integer', default: 1 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('items', 'version');
  }
}
