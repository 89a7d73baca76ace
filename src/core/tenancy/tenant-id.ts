/**
 * What a tenant id may be: 1 to 128 characters of `A-Z a-z 0-9 . _ : -`.
 * Narrow on purpose: the id goes into cache, rate-limit and idempotency keys,
 * log lines and SQL parameters, and none of them needs escaping with this set.
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** True when `value` is a string that is a well-formed tenant id ({@link TENANT_ID_PATTERN}). */
export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}
