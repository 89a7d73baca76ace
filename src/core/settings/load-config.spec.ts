import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from '../config/config.error';
import { readPemOrFile } from '../config/pem';
import { loadConfig } from './load-config';
import { PRODUCTION_AUTH_ENV } from '../../../test/support/production-env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('runs with zero infrastructure when nothing is set', () => {
    const config = loadConfig({});
    expect(config.app).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      port: 3000,
      serviceName: 'nest-chassis',
      isProduction: false,
    });
    expect(config.app.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(config.database).toMatchObject({ type: 'sqlite', sqlitePath: './data/app.sqlite', migrationsRun: true });
    expect(config.logging).toMatchObject({ level: 'info', format: 'pretty' });
    expect(config.openApi.enabled).toBe(true);
    expect(config.redis.url).toBeUndefined();
  });

  it('switches environment defaults in production, not the code path', () => {
    const config = loadConfig({ ...PRODUCTION_AUTH_ENV, NODE_ENV: 'production', DATABASE_URL: 'postgres://app:s3cr3t-value@db:5432/app' });
    expect(config.database).toMatchObject({ type: 'postgres', migrationsRun: false });
    expect(config.logging.format).toBe('json');
    expect(config.openApi.enabled).toBe(false);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '' }).app.port).toBe(3000);
  });

  it('lists every bad variable, not just the first', () => {
    const problems = problemsOf({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      DATABASE_POOL_SIZE: 'ten',
      OPENAPI_ENABLED: 'maybe',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DATABASE_POOL_SIZE',
      'DATABASE_URL',
      'LOG_LEVEL',
      'OPENAPI_ENABLED',
      'PORT',
    ]);
    expect(problems.find((p) => p.startsWith('PORT'))).toContain('(got "70000")');
    // URLs may hold passwords: never echoed.
    expect(problems.find((p) => p.startsWith('DATABASE_URL'))).not.toContain('mysql://x');
  });

  it('refuses schema synchronize in every environment', () => {
    expect(problemsOf({ DATABASE_SYNCHRONIZE: 'true' })[0]).toMatch(/^DATABASE_SYNCHRONIZE:/);
  });

  it('refuses known-insecure settings in production, all at once', () => {
    const problems = problemsOf({
      ...PRODUCTION_AUTH_ENV,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app:changeme@db:5432/app',
      DATABASE_LOGGING: 'true',
      LOG_FORMAT: 'pretty',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_LOGGING', 'DATABASE_URL', 'LOG_FORMAT']);
  });

  it('accepts the same settings outside production', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app:changeme@db:5432/app', DATABASE_LOGGING: 'true' })).not.toThrow();
  });

  it('parses booleans in their usual spellings', () => {
    expect(loadConfig({ OPENAPI_ENABLED: 'off' }).openApi.enabled).toBe(false);
    expect(loadConfig({ ...PRODUCTION_AUTH_ENV, NODE_ENV: 'production', OPENAPI_ENABLED: 'YES' }).openApi.enabled).toBe(true);
  });

  it('reads PEM values inline or from a file', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(readPemOrFile(pem)).toBe(pem);
    const file = join(mkdtempSync(join(tmpdir(), 'pem-')), 'ca.pem');
    writeFileSync(file, pem);
    expect(loadConfig({ DATABASE_SSL: 'verify-full', DATABASE_SSL_CA: file }).database.sslCa).toBe(pem);
    expect(readPemOrFile(undefined)).toBeUndefined();
  });

  it('reads an in-memory SQLite URL', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database.sqlitePath).toBe(':memory:');
  });
});
