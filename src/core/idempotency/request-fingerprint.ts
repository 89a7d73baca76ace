import { createHash } from 'node:crypto';

/**
 * A SHA-256 (hex) of what a retry must repeat exactly: the request target
 * (path and query) and the body as canonical JSON (object members sorted), so
 * that the same payload with its members in another order is the same request
 * and a changed payload is caught (the draft's "request fingerprint").
 */
export function requestFingerprint(target: string, body: unknown): string {
  return createHash('sha256').update(target).update('\n').update(canonicalJson(body)).digest('hex');
}

/** JSON with every object's members in code-point order; `undefined` members dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (isPlainObject(item) ? sortMembers(item) : item)) ?? '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function sortMembers(object: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(object).sort()) sorted[key] = object[key];
  return sorted;
}
