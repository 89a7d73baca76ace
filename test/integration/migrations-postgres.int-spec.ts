import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/core/settings/load-config';
import { createDataSource } from '../../src/core/database/create-data-source';
import { dataSourceOptions } from '../../src/core/database/data-source-options';
import { revertLastMigration, runMigrations } from '../../src/core/database/run-migrations';
import { migrations } from '../../migrations';
import { resetTestDatabase } from '../support/test-database';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function newDataSource(): DataSource {
  return createDataSource(dataSourceOptions(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }).database));
}

async function tableExists(dataSource: DataSource, table: string): Promise<boolean> {
  const rows: { exists: boolean }[] = await dataSource.query('SELECT to_regclass($1) IS NOT NULL AS exists', [`public.${table}`]);
  return rows[0].exists;
}

describe('migrations on PostgreSQL', () => {
  beforeEach(() => resetTestDatabase(url));

  it('round-trips: every migration goes up and comes back down', async () => {
    const dataSource = await newDataSource().initialize();
    try {
      const applied = await runMigrations(dataSource);
      expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
      expect(await tableExists(dataSource, 'items')).toBe(true);
      const [{ column_default: idDefault }] = await dataSource.query(
        "SELECT column_default FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'id'",
      );
      expect(idDefault).toBe('gen_random_uuid()');

      for (let i = 0; i < migrations.length; i++) await revertLastMigration(dataSource);
      expect(await tableExists(dataSource, 'items')).toBe(false);
      expect(await dataSource.query('SELECT count(*)::int AS n FROM migrations')).toEqual([{ n: 0 }]);

      expect(await runMigrations(dataSource)).toHaveLength(migrations.length);
    } finally {
      await dataSource.destroy();
    }
  });

  it('lets two replicas start at once: one applies, the other waits then finds nothing to do', async () => {
    const replicas = await Promise.all([newDataSource().initialize(), newDataSource().initialize()]);
    try {
      const results = await Promise.all(replicas.map((dataSource) => runMigrations(dataSource)));
      const counts = results.map((applied) => applied.length).sort();
      expect(counts).toEqual([0, migrations.length]);
      const rows = await replicas[0].query('SELECT name FROM migrations ORDER BY id');
      expect(rows.map((row: { name: string }) => row.name)).toEqual(migrations.map((m) => m.name));
    } finally {
      await Promise.all(replicas.map((dataSource) => dataSource.destroy()));
    }
  });
});
