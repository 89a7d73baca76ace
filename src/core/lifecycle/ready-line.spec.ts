import { loadConfig } from '../settings/load-config';
import { readyLine } from './ready-line';

describe('readyLine', () => {
  it('says where, which environment and database (password masked), the migrations and the optional services', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://app:s3cret@db:5432/app',
      REDIS_URL: 'redis://cache:6379',
    });
    const { msg, ready } = readyLine('http://127.0.0.1:3000', config, { known: 2, applied: ['CreateItems1'] });
    expect(msg).toBe(
      'Ready on http://127.0.0.1:3000 (development) · database postgres://app:***@db:5432/app · ' +
        'migrations: 1 applied now, 2 known, none pending · redis on · auth secret (the development secret) · tracing off · ' +
        'docs http://127.0.0.1:3000/docs',
    );
    expect(msg).not.toContain('s3cret');
    expect(ready).toEqual({
      url: 'http://127.0.0.1:3000',
      environment: 'development',
      database: 'postgres://app:***@db:5432/app',
      migrations: { known: 2, appliedNow: ['CreateItems1'] },
      redis: 'on',
      auth: 'secret',
      tracing: 'off',
      docs: 'http://127.0.0.1:3000/docs',
    });
  });

  it('says when the boot did not run migrations, and leaves out docs when they are off', () => {
    const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'sqlite::memory:', OPENAPI_ENABLED: 'false' });
    const { msg, ready } = readyLine('http://127.0.0.1:3000', config, { known: 1 });
    expect(msg).toContain('migrations: not run at boot (DATABASE_MIGRATIONS_RUN=false)');
    expect(msg).toContain('redis off');
    expect(msg).not.toContain('docs');
    expect(ready.migrations.appliedNow).toBe('not run at boot');
    expect(ready.docs).toBeUndefined();
  });
});
