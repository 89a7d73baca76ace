import { isTestDatabaseName, resetTestDatabase } from '../support/test-database';

describe('the test database (test/support/test-database.ts)', () => {
  it('accepts any test database name, so two runs on one machine can each have their own', () => {
    for (const name of ['test', 'test_run2', 'test_ci_42', 'orders_test']) expect(isTestDatabaseName(name)).toBe(true);
  });

  it('refuses a name that is not a test database’s', () => {
    for (const name of ['', 'app', 'production', 'testing', 'latest', 'test-run', 'test_"x', 'my_test_db']) {
      expect(isTestDatabaseName(name)).toBe(false);
    }
  });

  it('refuses to reset a non-test database, naming the rule, before connecting', async () => {
    await expect(resetTestDatabase('postgres://postgres@127.0.0.1:1/app')).rejects.toThrow(
      'refusing to reset database "app": the tests empty their database, so TEST_DATABASE_URL must name a test database ("test", "test_<name>" or "<name>_test")',
    );
  });

  it('leaves SQLite alone', async () => {
    await expect(resetTestDatabase('sqlite::memory:')).resolves.toBeUndefined();
  });
});
