import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { bootTestApp, type TestApp } from '../support/test-app';

const onPostgres = (process.env.TEST_DATABASE_URL ?? '').startsWith('postgres');

describe('database (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A file database in a directory that does not exist yet: the chassis creates it.
    const dir = join(mkdtempSync(join(tmpdir(), 'chassis-db-')), 'nested', 'data');
    t = await bootTestApp(onPostgres ? {} : { DATABASE_URL: `sqlite:${join(dir, 'app.sqlite')}` });
  });
  afterAll(async () => t.close());

  it('applied every migration at start (the development default)', async () => {
    const dataSource = t.app.get(DataSource);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('has migrations that match the entities exactly (no pending schema change)', async () => {
    const pending = await t.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('never synchronizes the schema', () => {
    expect(t.app.get(DataSource).options.synchronize).toBe(false);
  });

  it('applies the dialect settings: WAL and foreign keys on SQLite, server-side timeouts on PostgreSQL', async () => {
    const dataSource = t.app.get(DataSource);
    if (onPostgres) {
      expect(await dataSource.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '30s' }]);
      expect(await dataSource.query('SHOW idle_in_transaction_session_timeout')).toEqual([{ idle_in_transaction_session_timeout: '30s' }]);
    } else {
      expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await dataSource.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    }
  });
});
