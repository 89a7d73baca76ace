import type { DataSource, QueryRunner } from 'typeorm';
import { markDatabaseError } from '../errors/dependency-faults';

/** Thrown when a query waited past the busy timeout for another session's transaction; mapped to a 503 like SQLite's own. */
export class SqliteSessionBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(waitedMs: number) {
    super(`database is locked: another transaction held the connection for more than ${waitedMs} ms`);
    this.name = 'SqliteSessionBusyError';
  }
}

/**
 * Who may use the single SQLite connection right now: one query runner at a
 * time while it has a transaction open, anyone between transactions.
 */
class ConnectionGate {
  private owner: object | undefined;
  private waiters: (() => void)[] = [];

  constructor(private readonly timeoutMs: number) {}

  isHeldBy(runner: object): boolean {
    return this.owner === runner;
  }

  /** Waits until nobody else holds the connection, then holds it for `runner`. */
  async acquire(runner: object): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    while (this.owner !== undefined && this.owner !== runner) {
      const left = deadline - Date.now();
      if (left <= 0) throw markDatabaseError(new SqliteSessionBusyError(this.timeoutMs));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, left);
        function wake(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(wake);
      });
    }
    this.owner = runner;
  }

  release(runner: object): void {
    if (this.owner !== runner) return;
    this.owner = undefined;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** The parts of TypeORM's SQLite query runner this patches (public in its JS, partly protected in its types). */
type SqliteRunner = QueryRunner & { transactionDepth: number; stmtCache?: Map<string, unknown> };

/**
 * Gives every unit of work on better-sqlite3 a real transaction of its own.
 *
 * TypeORM keeps one query runner per process for SQLite, on one connection:
 * a transaction that starts while another is open (across an `await`)
 * becomes a savepoint inside it, and any query in between runs inside it, so
 * one request's rollback or commit takes another's writes with it. Here each
 * `createQueryRunner()` gets its own runner on the same connection (sharing
 * the prepared-statement cache), and a gate lets one runner at a time hold
 * the connection from `BEGIN` to `COMMIT`/`ROLLBACK`: transactions are
 * serialised per process (SQLite allows a single writer anyway), and a query
 * outside any transaction waits for the open one to end instead of joining
 * it. A wait longer than `busyTimeoutMs` fails with `SQLITE_BUSY` (a 503), so
 * code that uses a non-transactional repository inside its own transaction
 * fails instead of waiting for ever.
 */
export function isolateSqliteTransactions(dataSource: DataSource, busyTimeoutMs: number): void {
  const driver = dataSource.driver as unknown as { createQueryRunner(mode: string): QueryRunner };
  const original = driver.createQueryRunner.bind(driver);
  const gate = new ConnectionGate(busyTimeoutMs);
  const sharedRunner = original('master') as SqliteRunner;
  const RunnerClass = sharedRunner.constructor as new (owner: unknown) => SqliteRunner;
  const statements = sharedRunner.stmtCache;
  driver.createQueryRunner = () => {
    const runner = new RunnerClass(driver);
    if (statements && runner.stmtCache) runner.stmtCache = statements;
    return guard(runner, gate);
  };
}

function guard(runner: SqliteRunner, gate: ConnectionGate): SqliteRunner {
  const query = runner.query.bind(runner);
  const startTransaction = runner.startTransaction.bind(runner);
  const commitTransaction = runner.commitTransaction.bind(runner);
  const rollbackTransaction = runner.rollbackTransaction.bind(runner);

  runner.query = (async (...args: Parameters<typeof query>) => {
    if (gate.isHeldBy(runner)) return query(...args);
    await gate.acquire(runner);
    try {
      return await query(...args);
    } finally {
      gate.release(runner);
    }
  }) as typeof query;

  runner.startTransaction = async (...args) => {
    if (runner.isTransactionActive) return startTransaction(...args); // nested: a savepoint in its own transaction
    await gate.acquire(runner);
    try {
      await startTransaction(...args);
    } catch (error) {
      gate.release(runner);
      throw error;
    }
  };

  runner.commitTransaction = async () => {
    try {
      await commitTransaction();
    } finally {
      if (!runner.isTransactionActive) gate.release(runner);
    }
  };

  runner.rollbackTransaction = async () => {
    const outermost = runner.transactionDepth <= 1;
    try {
      await rollbackTransaction();
    } finally {
      // Even a failed outermost rollback ends this runner's hold: SQLite rolls back on error itself.
      if (outermost) gate.release(runner);
    }
  };
  return runner;
}
