import { AppProcess, freePort } from '../support/app-process';
import { testDatabaseUrl } from '../support/test-database';

jest.setTimeout(60_000);

/** `TEST_DATABASE_URL` with another role (and password) or another database. */
function urlWith(change: { user?: string; password?: string; database?: string }): string {
  const url = new URL(testDatabaseUrl());
  if (change.user !== undefined) url.username = change.user;
  if (change.password !== undefined) url.password = change.password;
  if (change.database !== undefined) url.pathname = `/${change.database}`;
  return url.toString();
}

/** Boots the built app on `databaseUrl` with retries that would take minutes, and returns it once it exited. */
async function bootOn(databaseUrl: string): Promise<{ app: AppProcess; code: number | null; elapsedMs: number }> {
  const started = Date.now();
  const app = AppProcess.launch(await freePort(), {
    DATABASE_URL: databaseUrl,
    DATABASE_CONNECT_RETRIES: '20',
    DATABASE_CONNECT_RETRY_DELAY_SECONDS: '5',
  });
  const code = await app.exited;
  return { app, code, elapsedMs: Date.now() - started };
}

/**
 * A PostgreSQL that answers but refuses the boot for good is one fatal line at
 * once, without retrying: a wrong role (or password) or an unknown database do
 * not heal by waiting. Needs the PostgreSQL of `TEST_DATABASE_URL`.
 */
describe('startup against a PostgreSQL that refuses (real process)', () => {
  it('an unknown role: one fatal line naming DATABASE_URL (password masked) and the SQLSTATE, no retry, exit 1', async () => {
    const { app, code, elapsedMs } = await bootOn(urlWith({ user: 'no_such_role_startup', password: 's3cret' }));
    expect(code).toBe(1);
    expect(app.lines.filter((line) => line.level !== 'info')).toEqual([
      expect.objectContaining({
        level: 'fatal',
        context: 'Startup',
        attempts: 1,
        // 28000 with trust authentication, 28P01 where a password is checked first.
        cause: expect.objectContaining({ code: expect.stringMatching(/^28(000|P01)$/) }),
        database: expect.stringMatching(/^postgres:\/\/no_such_role_startup:\*\*\*@/),
        msg: expect.stringMatching(
          /^Cannot connect to the database at DATABASE_URL=postgres:\/\/no_such_role_startup:\*\*\*@.*check the (user|credentials) in DATABASE_URL/,
        ),
      }),
    ]);
    expect(JSON.stringify(app.lines)).not.toContain('s3cret');
    // The first retry would have waited 5 s.
    expect(elapsedMs).toBeLessThan(5_000 + 10_000);
    expect(app.stderr).toBe('');
  });

  it('an unknown database (3D000): one fatal line saying so, no retry, exit 1', async () => {
    const { app, code } = await bootOn(urlWith({ database: 'no_such_database_startup' }));
    expect(code).toBe(1);
    expect(app.lines.filter((line) => line.level !== 'info')).toEqual([
      expect.objectContaining({
        level: 'fatal',
        context: 'Startup',
        attempts: 1,
        cause: { code: '3D000', message: 'database "no_such_database_startup" does not exist' },
        msg: expect.stringMatching(/the database does not exist: check the database name in DATABASE_URL, or create it$/),
      }),
    ]);
    expect(app.stderr).toBe('');
  });
});
