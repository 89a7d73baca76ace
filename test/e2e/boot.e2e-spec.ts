import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs the real entry point (src/main.ts through ts-node) with a given environment. */
function runMain(env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('boot with bad configuration (real process)', () => {
  it('exits non-zero before listening, naming every bad variable and no stack trace', () => {
    const result = runMain({ PORT: 'eighty', LOG_LEVEL: 'chatty', DATABASE_SSL: 'maybe', NODE_ENV: 'test' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration (3 problems)');
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_SSL']) expect(result.stderr).toContain(`  - ${name}: `);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).not.toContain('Nest application successfully started');
  });

  it('refuses insecure production settings the same way', () => {
    const result = runMain({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app:changeme@127.0.0.1:1/app',
      DATABASE_SYNCHRONIZE: 'true',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATABASE_SYNCHRONIZE');
    expect(result.stderr).toContain('DATABASE_URL: the password is a placeholder');
  });
});
