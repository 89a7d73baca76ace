import { QueryFailedError } from 'typeorm';

/** Set on errors that came out of the database driver while obtaining a connection (see `createDataSource`). */
export const DATABASE_ERROR = Symbol.for('nest-chassis.databaseError');

/** Marks `error` as raised by the database driver, so it is told apart from any other network error. */
export function markDatabaseError(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) (error as Record<symbol, unknown>)[DATABASE_ERROR] = true;
  return error;
}

/** Network error codes of a connection that could not be opened or was lost. */
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection-refused',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  ETIMEDOUT: 'connection-timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
};

/** PostgreSQL SQLSTATEs meaning "the server cannot serve right now", not "the query is wrong". */
const SQLSTATE_CAUSES: Record<string, string> = {
  '53300': 'too-many-connections',
  '57014': 'statement-timeout',
  '57P01': 'server-shutting-down',
  '57P02': 'server-shutting-down',
  '57P03': 'server-starting',
};

/** node-postgres and pg-pool messages for lost or unobtainable connections (they carry no code). */
const MESSAGE_CAUSES: [RegExp, string][] = [
  [/timeout exceeded when trying to connect/i, 'pool-timeout'],
  [/Connection terminated due to connection timeout/i, 'connection-timeout'],
  [/Query read timeout/i, 'query-timeout'],
  [/Connection terminated|not queryable|Connection ended/i, 'connection-reset'],
];

/**
 * Why a database error means "the database is unavailable" rather than "the
 * request or the code is wrong": `connection-refused`, `connection-reset`,
 * `connection-timeout`, `pool-timeout` (no pooled connection freed in time),
 * `query-timeout`, `statement-timeout`, `too-many-connections`,
 * `server-shutting-down`, `server-starting`, `unreachable`, `busy` (SQLite
 * locked past its timeout), `circuit-open` (the database's circuit breaker
 * refused the call after repeated faults). Undefined for anything else,
 * which stays a 500.
 *
 * Only errors from the database layer are looked at: a `QueryFailedError`
 * (its driver error) or an error the driver wrapper marked with {@link DATABASE_ERROR}.
 */
export function databaseFaultCause(error: unknown): string | undefined {
  let candidate: unknown;
  if (error instanceof QueryFailedError) candidate = error.driverError ?? error;
  else if (typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[DATABASE_ERROR]) candidate = error;
  else return undefined;
  for (let depth = 0; depth < 3 && typeof candidate === 'object' && candidate !== null; depth++) {
    const { code, message, cause } = candidate as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      if (NETWORK_CAUSES[code]) return NETWORK_CAUSES[code];
      if (SQLSTATE_CAUSES[code]) return SQLSTATE_CAUSES[code];
      if (code.startsWith('08')) return 'connection-failure';
      if (code === 'ECIRCUITOPEN') return 'circuit-open';
      if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return 'busy';
    }
    if (typeof message === 'string') {
      const found = MESSAGE_CAUSES.find(([pattern]) => pattern.test(message));
      if (found) return found[1];
    }
    candidate = cause;
  }
  return undefined;
}
