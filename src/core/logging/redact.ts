/**
 * Headers whose values never reach a log line, wherever the headers object
 * appears (a pino-http style `req`, an error's request, an object a feature
 * logs). Paths use fast-redact syntax, as pino's `redact` option.
 */
export const REDACTED_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization'];

/** The censor written in place of a redacted value. */
export const REDACTED = '[redacted]';

/** Every redaction path: the credential headers at the usual depths, then `extra` (`LOG_REDACT_PATHS`). */
export function redactionPaths(extra: readonly string[]): string[] {
  const headerPaths = REDACTED_HEADERS.flatMap((header) => {
    const key = `["${header}"]`;
    return [`headers${key}`, `*.headers${key}`, `*.*.headers${key}`];
  });
  // A TypeORM QueryFailedError carries the query's parameters (personal data in a failing insert).
  return [...headerPaths, 'err.parameters', '*.err.parameters', ...extra];
}

/**
 * The URL for the access log with every query-string value replaced by
 * `[redacted]` (keys are kept: they tell which filters were used). Query
 * strings carry tokens and personal data (`?email=`, `?token=`).
 */
export function redactQuery(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const query = url
    .slice(mark + 1)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => `${pair.split('=', 1)[0]}=${REDACTED}`)
    .join('&');
  return `${url.slice(0, mark)}?${query}`;
}
