import { ConfigValidationError } from '../config/config.error';
import { loadDatabaseConfig } from './load-database-config';

describe('loadDatabaseConfig (the database command-line entry points)', () => {
  it('reads the database settings as the app does', () => {
    expect(loadDatabaseConfig({ DATABASE_URL: 'sqlite::memory:' }).database).toMatchObject({ type: 'sqlite', sqlitePath: ':memory:' });
  });

  it('applies the app’s database rules and production refusals', () => {
    expect(() => loadDatabaseConfig({ DATABASE_SYNCHRONIZE: 'true' })).toThrow(/^Invalid configuration[^]*DATABASE_SYNCHRONIZE:/);
    expect(() => loadDatabaseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://app:changeme@db:5432/app' })).toThrow(
      /DATABASE_URL: the password is a placeholder/,
    );
    expect(() => loadDatabaseConfig({ DATABASE_POOL_SIZE: 'ten' })).toThrow(ConfigValidationError);
  });
});
