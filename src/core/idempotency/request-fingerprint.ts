import { hash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

const stableStringify = configure({ deterministic: true, circularValue: Error });

/**
 * A SHA-256 (hex) of what a retry must repeat exactly: the request target
 * (path and query) and the body as canonical JSON (object members sorted), so
 * that the same payload with its members in another order is the same request
 * and a changed payload is caught (the draft's "request fingerprint").
 */
export function requestFingerprint(target: string, body: unknown): string {
  // crypto.hash: one call, without a Hash object per request.
  return hash('sha256', `${target}\n${canonicalJson(body)}`, 'hex');
}

/**
 * JSON with every object's members in code-point order (`safe-stable-stringify`,
 * pino's serializer, deterministic); `undefined` members dropped, as JSON.stringify does.
 */
export const canonicalJson = (value: unknown): string => stableStringify(value) ?? '';
