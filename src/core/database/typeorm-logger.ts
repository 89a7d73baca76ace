import type { Logger as PinoLogger } from 'pino';
import type { Logger as TypeOrmLoggerContract } from 'typeorm';

/** What stands in for a query's parameters in a log line: their number, never their values. */
export function describeParameters(parameters: unknown): { parameterCount: number } | Record<string, never> {
  if (Array.isArray(parameters)) return { parameterCount: parameters.length };
  if (typeof parameters === 'object' && parameters !== null) return { parameterCount: Object.keys(parameters).length };
  return {};
}

/**
 * TypeORM's logger, on the app's pino logger (JSON, `context: "Database"`),
 * so nothing TypeORM writes bypasses the log format or the redaction: its
 * default loggers print plain text to the console, with every query's
 * parameters (personal data in a failing insert).
 *
 * Parameters are never logged, only their count. Levels:
 *
 * - queries (`DATABASE_LOGGING=true` only) and schema builds: `debug`;
 * - a failed query: `debug` with the query text and the driver's code — the
 *   error itself reaches whoever ran the query, and the request's problem
 *   filter logs it once (a 500 with its stack, or a rate-limited outage warning);
 * - a slow query and TypeORM's warnings (the pg pool's errors on idle
 *   connections among them): `warn`; migrations and other messages: `info`.
 */
export class PinoTypeOrmLogger implements TypeOrmLoggerContract {
  private readonly logger: PinoLogger;

  /**
   * @param root the app's root pino logger.
   * @param logQueries log every query (`DATABASE_LOGGING`), at debug.
   */
  constructor(
    root: PinoLogger,
    private readonly logQueries: boolean,
  ) {
    this.logger = root.child({ context: 'Database' });
  }

  logQuery(query: string, parameters?: unknown[] | object): void {
    if (this.logQueries) this.logger.debug({ query, ...describeParameters(parameters) }, 'Query');
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[] | object): void {
    const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
    this.logger.debug(
      {
        query,
        ...describeParameters(parameters),
        ...(typeof code === 'string' ? { code } : {}),
        error: typeof error === 'string' ? error : error.message,
      },
      'Query failed',
    );
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[] | object): void {
    this.logger.warn({ durationMs: time, query, ...describeParameters(parameters) }, 'Slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug({ schema: message }, 'Schema build');
  }

  logMigration(message: string): void {
    this.logger.info({ migration: message }, 'Migration');
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = message instanceof Error ? message.message : String(message);
    if (level === 'warn') this.logger.warn({ warning: text }, 'TypeORM warning');
    else this.logger.info({ message: text }, 'TypeORM');
  }
}
