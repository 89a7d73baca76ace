import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AppProcess, freePort, http } from '../support/app-process';

jest.setTimeout(60_000);

const root = join(__dirname, '..', '..');

/** Every file under `dir` with its inode: a file deleted and written again gets a new one. */
function inodes(dir: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const stat = statSync(join(dir, entry));
    if (stat.isFile()) found.set(entry, stat.ino);
  }
  return found;
}

describe('startup failures (real process)', () => {
  it('port in use: one fatal line naming PORT and HOST, no success line before it, no stack trace, exit 1', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const app = AppProcess.launch(port, { DATABASE_URL: 'sqlite::memory:' });
      expect(await app.exited).toBe(1);
      const fatal = app.lines.filter((line) => line.level === 'fatal');
      expect(fatal).toEqual([
        expect.objectContaining({
          context: 'Startup',
          code: 'EADDRINUSE',
          port,
          host: '127.0.0.1',
          msg: `Cannot listen on 127.0.0.1:${port}: the address is already in use (another process listens there): set PORT (or HOST) to a free one`,
        }),
      ]);
      // The fatal line is the only error: neither Nest's "successfully started" nor its copy of the listen error.
      expect(app.lines.filter((line) => /successfully started|^Ready on/.test(String(line.msg)))).toEqual([]);
      expect(app.lines.filter((line) => line.level === 'error')).toEqual([]);
      expect(app.stderr).toBe('');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('PostgreSQL unreachable: one warning per failed attempt, with back-off, then one fatal line naming DATABASE_URL (password masked), exit 1', async () => {
    const closed = await freePort();
    const started = Date.now();
    const app = AppProcess.launch(await freePort(), {
      DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${closed}/x`,
      DATABASE_CONNECT_RETRIES: '2',
      DATABASE_CONNECT_RETRY_DELAY_SECONDS: '0.5',
      DATABASE_CONNECT_RETRY_MAX_DELAY_SECONDS: '0.8',
    });
    expect(await app.exited).toBe(1);
    const elapsedMs = Date.now() - started;
    const database = `postgres://app:***@127.0.0.1:${closed}/x`;
    const cause = { code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${closed}` };
    expect(app.lines.filter((line) => line.level !== 'info')).toEqual([
      expect.objectContaining({ level: 'warn', context: 'Database', attempt: 1, retries: 2, delaySeconds: 0.5, cause, database }),
      // Doubled, then capped by DATABASE_CONNECT_RETRY_MAX_DELAY_SECONDS.
      expect.objectContaining({ level: 'warn', context: 'Database', attempt: 2, retries: 2, delaySeconds: 0.8, cause, database }),
      expect.objectContaining({
        level: 'fatal',
        context: 'Startup',
        attempts: 3,
        cause,
        database,
        msg: `Cannot connect to the database at DATABASE_URL=${database}: ${cause.message}; unreachable after 3 attempts: check DATABASE_URL and that the database accepts connections`,
      }),
    ]);
    // Both delays were waited (0.5 + 0.8 s), and nothing more than a few seconds on top.
    expect(elapsedMs).toBeGreaterThanOrEqual(1_300);
    expect(elapsedMs).toBeLessThan(30_000);
    expect(JSON.stringify(app.lines)).not.toContain('s3cret');
    expect(app.lines.filter((line) => /successfully started|^Ready on/.test(String(line.msg)))).toEqual([]);
    // Every line was JSON (AppProcess parses stdout line by line), and nothing went to stderr.
    expect(app.stderr).toBe('');
  });

  it('Redis unreachable at boot: the app starts and serves, one warning naming REDIS_URL (password masked), not one per reconnection', async () => {
    const closed = await freePort();
    const app = await AppProcess.start({ DATABASE_URL: 'sqlite::memory:', REDIS_URL: `redis://:s3cret@127.0.0.1:${closed}/13` });
    try {
      // ioredis retries after 0.2, 0.4, 0.6, 0.8, 1 s…: several failed reconnections in this time.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const redisUrl = `redis://:***@127.0.0.1:${closed}/13`;
      expect(app.lines.filter((line) => line.context === 'Redis')).toEqual([
        expect.objectContaining({
          level: 'warn',
          redis: redisUrl,
          cause: { code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${closed}` },
          msg: `Redis unreachable at REDIS_URL=${redisUrl}: connect ECONNREFUSED 127.0.0.1:${closed}; serving without it (docs/health-checks.md); reconnecting (logged once until it connects)`,
        }),
      ]);
      // Each job queue's connection (the chassis's domain-event queues) likewise warns once, not once per reconnection.
      const queueWarnings = app.lines.filter(
        (line) => line.context === 'Jobs' && String(line.msg).startsWith('Job queue connection error'),
      );
      expect(queueWarnings.length).toBeGreaterThan(0);
      expect(queueWarnings.map((line) => line.queue)).toEqual([...new Set(queueWarnings.map((line) => line.queue))]);
      expect((await http(app.port, '/health/ready')).status).toBe(200);
      expect(JSON.stringify(app.lines)).not.toContain('s3cret');
    } finally {
      await app.kill();
    }
  });

  it(
    'a second build while an instance runs keeps every file of its dist/ (none deleted and written again), and it keeps serving',
    async () => {
      const app = await AppProcess.start({ DATABASE_URL: 'sqlite::memory:' });
      try {
        const before = inodes(join(root, 'dist'));
        // The build step of `npm start`, as a second instance runs it.
        execFileSync(process.execPath, [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], {
          cwd: root,
          stdio: 'pipe',
        });
        const after = inodes(join(root, 'dist'));
        const replaced = [...before].filter(([file, inode]) => after.get(file) !== inode).map(([file]) => file);
        expect(replaced).toEqual([]);
        expect((await http(app.port, '/health/live')).status).toBe(200);
      } finally {
        await app.kill();
      }
    },
    // A full build on a loaded 2-core machine.
    180_000,
  );

  it('a zero-infrastructure start loads no client it does not use: no Redis client, no BullMQ (but two of its classes), no JWKS client, no outbound HTTP client, no PostgreSQL client', async () => {
    const app = await AppProcess.start(
      { DATABASE_URL: 'sqlite::memory:' },
      { entry: join(root, 'test', 'support', 'loaded-packages-app.js') },
    );
    try {
      expect((await http(app.port, '/health/ready')).status).toBe(200);
      app.signal('SIGTERM');
      expect(await app.exited).toBe(0);
      const { files } = (await app.waitForLine((line) => line.msg === 'Loaded packages')) as unknown as { files: Record<string, string[]> };
      // What the start does use is listed: the listing sees CommonJS packages and ES modules alike.
      expect(Object.keys(files)).toEqual(expect.arrayContaining(['better-sqlite3', 'typeorm', 'fastify', '@nestjs/core']));
      for (const unused of ['ioredis', '@nestjs/bullmq', 'msgpackr', '@bull-board/api', 'jwks-rsa', 'undici', 'cockatiel', 'pg']) {
        expect({ [unused]: files[unused] }).toEqual({ [unused]: undefined });
      }
      // The in-process engine shares BullMQ's back-off and UnrecoverableError, from their own files (src/core/jobs/bullmq-standalone.ts).
      expect(files.bullmq).toEqual(['dist/cjs/classes/backoffs.js', 'dist/cjs/classes/errors/unrecoverable-error.js']);
    } finally {
      await app.kill();
    }
  });
});
