import type { Logger as PinoLogger } from 'pino';
import { maskUrlPassword } from '../config/masked-url';
import { flushLogs } from '../logging/root-logger';
import { StartupError } from '../config/startup.error';

/** How the boot retries the first database connection (`DATABASE_CONNECT_RETRIES`, `DATABASE_CONNECT_RETRY_*`). */
export interface ConnectRetry {
  /** Attempts after the first one; 0: fail at the first error. */
  retries: number;
  /** Delay before the first retry, in seconds; doubled for each next one. */
  delaySeconds: number;
  /** Upper bound of one delay, in seconds. */
  maxDelaySeconds: number;
}

/**
 * PostgreSQL answers that retrying cannot change: the password or the role is
 * refused (28P01, 28000) or the database does not exist (3D000)
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */
const PERMANENT_SQLSTATES: Record<string, string> = {
  '28P01': 'the password was refused: check the credentials in DATABASE_URL',
  '28000': 'the role is not allowed to connect: check the user in DATABASE_URL and pg_hba.conf',
  '3D000': 'the database does not exist: check the database name in DATABASE_URL, or create it',
};

/** The delay before retry number `retry` (1-based), in seconds: exponential, capped. */
export function retryDelaySeconds(retry: number, policy: ConnectRetry): number {
  return Math.min(policy.delaySeconds * 2 ** (retry - 1), policy.maxDelaySeconds);
}

/** `code` and `message` of a connection error, for a log line (never its stack). */
function causeOf(error: unknown): { code?: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return { ...(typeof code === 'string' ? { code } : {}), message: typeof message === 'string' ? message : String(error) };
}

/**
 * Runs `connect` (the data source's first connection) until it succeeds, at most
 * `1 + policy.retries` times, waiting {@link retryDelaySeconds} between attempts.
 * Each failed attempt that will be retried is one `warn` line (`context: "Database"`);
 * the last failure, or a refusal that cannot heal (wrong password or role,
 * unknown database: never retried), is one `fatal` line (`context: "Startup"`)
 * naming `DATABASE_URL` with its password masked, with a hint.
 *
 * @param url `DATABASE_URL` (masked before it is logged).
 * @throws StartupError after the fatal line: the entry point exits 1 without a stack trace.
 */
export async function connectWithRetry<T>(connect: () => Promise<T>, url: string, policy: ConnectRetry, logger: PinoLogger): Promise<T> {
  const database = maskUrlPassword(url);
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      const cause = causeOf(error);
      const permanent = cause.code === undefined ? undefined : PERMANENT_SQLSTATES[cause.code];
      if (permanent === undefined && attempt <= policy.retries) {
        const delaySeconds = retryDelaySeconds(attempt, policy);
        logger.warn(
          { context: 'Database', attempt, retries: policy.retries, delaySeconds, cause, database },
          `Cannot connect to the database (attempt ${attempt} of ${policy.retries + 1}): ${cause.message}; retrying in ${delaySeconds} s`,
        );
        await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
        continue;
      }
      const hint =
        permanent ??
        `unreachable after ${attempt} attempt${attempt === 1 ? '' : 's'}: check DATABASE_URL and that the database accepts connections`;
      const message = `Cannot connect to the database at DATABASE_URL=${database}: ${cause.message}; ${hint}`;
      logger.fatal({ context: 'Startup', attempts: attempt, cause, database }, message);
      flushLogs(logger);
      throw new StartupError(message);
    }
  }
}
