/**
 * The `Idempotency-Key` request header (IETF HTTPAPI draft "The Idempotency-Key
 * HTTP Header Field"): an RFC 8941 structured-field string, e.g. `"8e03978e-40d5"`.
 * Many clients send the value unquoted (the Stripe convention), so both forms
 * are accepted and mean the same key.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Longest accepted key, in characters: enough for any UUID or ULID with a prefix. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Printable ASCII without the quote and backslash (sf-string characters that need no escape). */
const KEY_CHARACTERS = /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/;

/** The outcome of reading the header: no header, a key, or why the header is refused. */
export type ParsedIdempotencyKey = { kind: 'absent' } | { kind: 'key'; key: string } | { kind: 'invalid'; reason: string };

/**
 * Reads the header. Refused (400 at the caller): a repeated header, an empty
 * value, more than {@link MAX_IDEMPOTENCY_KEY_LENGTH} characters, escapes or
 * characters outside printable ASCII.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): ParsedIdempotencyKey {
  if (header === undefined) return { kind: 'absent' };
  if (Array.isArray(header)) return { kind: 'invalid', reason: 'must be sent once' };
  const quoted = header.length >= 2 && header.startsWith('"') && header.endsWith('"');
  const key = quoted ? header.slice(1, -1) : header.trim();
  // Node joins repeated headers with ", ": a comma in a bare key cannot be told from two keys.
  if (!quoted && key.includes(',')) return { kind: 'invalid', reason: 'must be sent once (a bare key cannot contain a comma; quote it)' };
  if (key.length === 0) return { kind: 'invalid', reason: 'must not be empty' };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    return { kind: 'invalid', reason: `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` };
  if (!KEY_CHARACTERS.test(key)) return { kind: 'invalid', reason: 'must be printable ASCII without quotes or backslashes' };
  return { kind: 'key', key };
}
