import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { migrations } from '../../migrations';
import { freePort } from '../support/app-process';

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

describe('boot (real process)', () => {
  it('ends its startup with one ready line: where it listens, the database, the migrations applied, the optional services', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_FORMAT: 'json',
        DATABASE_URL: 'sqlite::memory:',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const lines: Record<string, unknown>[] = [];
      const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line within 60 s:\n${JSON.stringify(lines.slice(-5))}`)), 60_000);
        let buffered = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          buffered += chunk;
          const parts = buffered.split('\n');
          buffered = parts.pop() ?? '';
          for (const part of parts) {
            const line = JSON.parse(part) as Record<string, unknown>;
            lines.push(line);
            if (typeof line.msg === 'string' && line.msg.startsWith('Ready on')) {
              clearTimeout(timer);
              resolve(line);
            }
          }
        });
        void exited.then((code) => reject(new Error(`exited with ${code} before the ready line`)));
      });
      // Every migration of migrations/index.ts, applied by this boot (a fresh in-memory database).
      const names = migrations.map((migration) => new migration().name);
      expect(ready.msg).toBe(
        `Ready on http://127.0.0.1:${port} (development) · database sqlite::memory: · ` +
          `migrations: ${names.length} applied now, ${names.length} known, none pending · ` +
          `redis off · auth secret (the development secret) · tracing off · docs http://127.0.0.1:${port}/docs`,
      );
      expect(ready.ready).toMatchObject({ url: `http://127.0.0.1:${port}`, migrations: { known: names.length, appliedNow: names } });
      expect(names).toContain('CreateItems1763700000000');
      expect(ready.level).toBe('info');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
