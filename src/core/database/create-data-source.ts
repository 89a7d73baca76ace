import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DependencyBreaker } from '../circuit-breaker/dependency-breaker';
import { markDatabaseError } from '../errors/dependency-faults';
import { stopAbandonedQueries } from './abandoned-queries';
import { servePortableTimestampsOnSqlite } from './portable-timestamp';
import { isolateSqliteTransactions } from './sqlite-transactions';

/**
 * Builds a DataSource whose date columns mean the same instant on every database,
 * whose connection errors are recognisable as the database's (see below), and
 * whose SQLite transactions are isolated from each other ({@link isolateSqliteTransactions}).
 *
 * TypeORM maps `@CreateDateColumn`/`@UpdateDateColumn` to `timestamp` (no time
 * zone) on PostgreSQL; the chassis maps them to `timestamptz` so values are
 * stored as instants, whatever the server's or the process's time zone.
 * SQLite keeps its `datetime` (UTC text), also for `@TimestampColumn`'s
 * `timestamptz` ({@link servePortableTimestampsOnSqlite}). One entity definition serves both.
 *
 * @param breaker the database's circuit breaker: obtaining a pooled connection goes through it (PostgreSQL).
 */
export function createDataSource(options: DataSourceOptions, breaker?: DependencyBreaker): DataSource {
  const dataSource = new DataSource(options);
  if (options.type === 'postgres') {
    const mapped = dataSource.driver.mappedDataTypes;
    mapped.createDate = 'timestamptz';
    mapped.updateDate = 'timestamptz';
    mapped.deleteDate = 'timestamptz';
  }
  if (options.type === 'better-sqlite3') {
    servePortableTimestampsOnSqlite(dataSource);
    isolateSqliteTransactions(dataSource, options.timeout ?? 5000);
  }
  markConnectionErrors(dataSource, breaker);
  // Queries of a request stop once its deadline passes or its client goes away.
  stopAbandonedQueries(dataSource);
  return dataSource;
}

/**
 * Marks errors raised while obtaining a pooled connection (refused, reset,
 * pool acquisition timeout): the driver passes them on raw, and the problem
 * filter needs to know they came from the database to answer 503, not 500.
 * With a `breaker`, these faults count towards opening the database's
 * circuit, and while it is open the acquire fails at once (a marked
 * `CircuitOpenError`, also a 503).
 */
function markConnectionErrors(dataSource: DataSource, breaker?: DependencyBreaker): void {
  const driver = dataSource.driver as unknown as { obtainMasterConnection?: () => Promise<unknown> };
  const obtain = driver.obtainMasterConnection;
  if (typeof obtain !== 'function') return;
  driver.obtainMasterConnection = function obtainMasterConnection(this: unknown) {
    const acquire = () =>
      obtain.call(this).then(
        (obtained) => {
          if (Array.isArray(obtained)) evictOnQueryTimeout(obtained[0] as PgClient);
          return obtained;
        },
        (error: unknown) => Promise.reject(markDatabaseError(error)),
      );
    if (!breaker) return acquire();
    return breaker.execute(acquire).catch((error: unknown) => Promise.reject(markDatabaseError(error)));
  };
}

/** The parts of a node-postgres client used here. */
interface PgClient {
  query: (...args: unknown[]) => unknown;
  end?: () => Promise<void>;
  connection?: { stream?: { destroy(): void } };
  [EVICTS_ON_TIMEOUT]?: true;
}

const EVICTS_ON_TIMEOUT = Symbol('chassis.evictsOnQueryTimeout');

/**
 * node-postgres's `query_timeout` fails the query but keeps the connection,
 * with the timed-out query still its active one: every later query on it
 * queues behind an answer that never comes (a black-holed connection), and
 * the pool keeps handing it out. Ending it and destroying its socket makes
 * the pool drop it when TypeORM releases it; the next request gets a fresh
 * connection.
 */
function evictOnQueryTimeout(client: PgClient): void {
  if (!client || typeof client.query !== 'function' || client[EVICTS_ON_TIMEOUT]) return;
  client[EVICTS_ON_TIMEOUT] = true;
  const query = client.query.bind(client);
  client.query = (...args: unknown[]) => {
    const result = query(...args);
    if (typeof (result as Promise<unknown> | undefined)?.catch === 'function') {
      (result as Promise<unknown>).catch((error: unknown) => {
        if ((error as { message?: unknown } | null)?.message !== 'Query read timeout') return;
        // end() marks the client as ending at once, so the pool drops it when TypeORM releases it.
        Promise.resolve(client.end?.()).catch(() => undefined);
        client.connection?.stream?.destroy();
      });
    }
    return result;
  };
}
