import { Entity, type MigrationInterface, PrimaryGeneratedColumn, type QueryRunner, Table } from 'typeorm';
import { createDataSource } from './create-data-source';
import { portableColumnTypes } from './portable-column-types';
import { TimestampColumn } from './timestamp-column.decorator';

@Entity({ name: 'reminders' })
class Reminder {
  @PrimaryGeneratedColumn()
  id!: number;

  @TimestampColumn({ name: 'due_at' })
  dueAt!: Date;

  @TimestampColumn({ name: 'done_at', nullable: true })
  doneAt!: Date | null;
}

class CreateReminders1800000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const t = portableColumnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'reminders',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'due_at', type: t.timestamp },
          { name: 'done_at', type: t.timestamp, isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('reminders');
  }
}

describe('TimestampColumn on SQLite (better-sqlite3)', () => {
  const dataSource = createDataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: [Reminder],
    migrations: [CreateReminders1800000000000],
  });
  beforeAll(async () => {
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(() => dataSource.destroy());

  it('round-trips a Date to the millisecond, and null', async () => {
    const due = new Date('2031-02-03T04:05:06.789Z');
    const saved = await dataSource.getRepository(Reminder).save({ dueAt: due, doneAt: null });
    const read = await dataSource.getRepository(Reminder).findOneByOrFail({ id: saved.id });
    expect(read.dueAt).toBeInstanceOf(Date);
    expect(read.dueAt.toISOString()).toBe('2031-02-03T04:05:06.789Z');
    expect(read.doneAt).toBeNull();
  });

  it('stores UTC text that SQLite compares in time order, and filters by a Date', async () => {
    const repository = dataSource.getRepository(Reminder);
    await repository.save([{ dueAt: new Date('2030-01-01T00:00:00.000Z') }, { dueAt: new Date('2032-01-01T00:00:00.000Z') }]);
    const [row] = (await dataSource.query('SELECT due_at FROM reminders ORDER BY due_at LIMIT 1')) as { due_at: string }[];
    expect(row.due_at).toBe('2030-01-01 00:00:00.000');
    const found = await repository.findOneByOrFail({ dueAt: new Date('2032-01-01T00:00:00.000Z') });
    expect(found.dueAt.toISOString()).toBe('2032-01-01T00:00:00.000Z');
  });

  it('agrees with its migration (portableColumnTypes(...).timestamp): no schema difference', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
