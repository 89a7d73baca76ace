/**
 * `postgres://app:***@db:5432/app`: a connection URL (`DATABASE_URL`,
 * `REDIS_URL`) with its password, if any, replaced by `***`, fit for a log line.
 * A value that is not a URL (a SQLite path) is returned as is: it holds no password.
 */
export function maskUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
