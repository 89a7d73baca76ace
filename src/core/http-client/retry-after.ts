/**
 * The delay a `Retry-After` header asks for, in milliseconds (RFC 9110
 * §10.2.3: delay-seconds or an HTTP-date), or undefined when absent or
 * unreadable. A date in the past is a delay of 0.
 */
export function retryAfterMs(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-dates start with the day name (IMF-fixdate and the two obsolete forms); Date.parse alone would take "-1" as a year.
  const date = /^[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
