import type { DataSource, QueryRunner } from 'typeorm';
import { currentRequestContext } from '../context/request-context';
import { RequestAbandonedError } from '../errors/request-abandoned';
import { cancelRunningQuery, type CancellableClient } from './postgres-cancel';

/** Statements that always run: a transaction cut short must still be able to undo its work. */
const ALWAYS_RUNS = /^\s*ROLLBACK\b/i;

/** Cancels what a query runner's connection is running on the server, if anything. */
type CancelInFlight = (runner: QueryRunner) => Promise<void>;

/**
 * Stops the database work of a request once the request is abandoned — its
 * `signal` ({@link currentRequestContext}) aborted because the deadline passed
 * (`REQUEST_TIMEOUT_SECONDS`, the client already has its 503), the client
 * went away, or the shutdown aborted it:
 *
 * - every query the request issues afterwards through TypeORM fails at once
 *   with {@link RequestAbandonedError}, `ROLLBACK` excepted, so a transaction
 *   in progress rolls back and nothing is committed after the 503 (a client
 *   retrying it cannot have its write applied twice);
 * - on PostgreSQL, a query in flight at that moment is cancelled on the server
 *   ({@link cancelRunningQuery}) and fails with the same error; the runner's
 *   next statement (its `ROLLBACK`) waits until the server has handled the
 *   cancel, so the cancel cannot hit a later statement.
 *
 * Work outside any request (boot, migrations, timers) is untouched. Feature
 * code needs no change: every query goes through a query runner.
 */
export function stopAbandonedQueries(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as { createQueryRunner(mode: string): QueryRunner };
  const create = driver.createQueryRunner.bind(driver);
  // better-sqlite3 runs each statement synchronously: nothing is ever in flight to cancel.
  const cancel = dataSource.options.type === 'postgres' ? trackedCancel(dataSource) : undefined;
  driver.createQueryRunner = (mode: string) => stopWhenAbandoned(create(mode), cancel);
}

/**
 * Cancels with {@link cancelPostgresQuery}, and makes `dataSource.destroy()`
 * wait for the cancels under way: closing the pool ends the client connections
 * but not the queries the server is running for them (the shutdown aborts its
 * stuck requests just before it closes the pool).
 */
function trackedCancel(dataSource: DataSource): CancelInFlight {
  const pending = new Set<Promise<void>>();
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    await Promise.all(pending);
    return destroy();
  };
  return (runner) => {
    const cancelled = cancelPostgresQuery(runner).finally(() => pending.delete(cancelled));
    pending.add(cancelled);
    return cancelled;
  };
}

function stopWhenAbandoned(runner: QueryRunner, cancel: CancelInFlight | undefined): QueryRunner {
  const query = runner.query.bind(runner);
  runner.query = (async (sql: string, ...rest: unknown[]) => {
    const signal = currentRequestContext()?.signal;
    if (!signal || ALWAYS_RUNS.test(sql)) return query(sql, ...(rest as []));
    if (signal.aborted) throw new RequestAbandonedError(signal.reason);
    if (!cancel) return query(sql, ...(rest as []));
    // Connected first, so an abort while waiting for a pooled connection does not let the query start
    // (a released runner is left to TypeORM, which refuses the query without taking a connection).
    if (!runner.isReleased) await runner.connect();
    if (signal.aborted) throw new RequestAbandonedError(signal.reason);
    return runCancellable(runner, signal, cancel, () => query(sql, ...(rest as [])));
  }) as typeof runner.query;
  return runner;
}

async function runCancellable<T>(runner: QueryRunner, signal: AbortSignal, cancel: CancelInFlight, run: () => Promise<T>): Promise<T> {
  let cancelled: Promise<void> | undefined;
  const onAbort = () => {
    cancelled = cancel(runner);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await run();
  } catch (error) {
    if (signal.aborted) throw new RequestAbandonedError(signal.reason, error);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await cancelled;
  }
}

function cancelPostgresQuery(runner: QueryRunner): Promise<void> {
  const client = (runner as unknown as { databaseConnection?: CancellableClient }).databaseConnection;
  return client ? cancelRunningQuery(client) : Promise.resolve();
}
