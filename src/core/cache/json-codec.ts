/**
 * The cache's serialization: JSON that round-trips `Date`s.
 *
 * Plain JSON turns a `Date` into an ISO string and gives back a string, so a
 * cached entity would come back with `createdAt: string`. Here a `Date` is
 * written as `{"$date":"<ISO 8601>"}` and read back as a `Date`. Everything
 * else follows `JSON.stringify` (undefined properties dropped, `toJSON`
 * honoured, no class instances: values come back as plain objects).
 *
 * An object whose only property is a string `$date` is read back as a Date;
 * do not cache such objects.
 */
export function serialize(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, converted: unknown) {
    // `converted` has already been through Date#toJSON; the holder still has the Date.
    const original = this[key];
    return original instanceof Date ? { $date: original.toISOString() } : converted;
  });
}

/** The inverse of {@link serialize}. @throws SyntaxError on text that is not JSON. */
export function deserialize<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => (isTaggedDate(value) ? new Date(value.$date) : value)) as T;
}

function isTaggedDate(value: unknown): value is { $date: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$date' && typeof (value as { $date: unknown }).$date === 'string';
}
