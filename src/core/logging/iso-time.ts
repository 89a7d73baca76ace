/**
 * pino's `timestamp` option: the `time` field as an RFC 3339 UTC timestamp in
 * milliseconds (`,"time":"2026-11-21T20:48:53.985Z"`), byte for byte what
 * `pino.stdTimeFunctions.isoTime` writes.
 *
 * Why not pino's own: it builds a `Date` and formats it on every line; under
 * load a process writes many lines within the same millisecond, so the
 * formatted value is kept and reused until the clock moves on (see
 * docs/performance.md). The cache is one string per function
 * created, never shared between loggers.
 *
 * @returns a function for pino's `timestamp` option.
 */
export function cachedIsoTime(): () => string {
  let cachedAt = Number.NaN;
  let cached = '';
  return () => {
    const now = Date.now();
    if (now !== cachedAt) {
      cachedAt = now;
      cached = `,"time":"${new Date(now).toISOString()}"`;
    }
    return cached;
  };
}
