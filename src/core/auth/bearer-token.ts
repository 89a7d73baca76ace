/** What the Authorization header holds, as far as bearer authentication is concerned. */
export type BearerCredentials = { kind: 'none' } | { kind: 'invalid'; reason: string } | { kind: 'token'; token: string };

/**
 * `Bearer` (case-insensitive, RFC 7235 section 2.1), one or more spaces, a
 * b64token (RFC 6750 section 2.1). Anything else after the scheme is refused.
 */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^bearer(?: |$)/i;

/**
 * Reads a bearer token from an Authorization header value, refusing an
 * oversized one before any parsing (a cheap defence against tokens crafted
 * to make decoding or hashing expensive).
 *
 * - no header, or another scheme (`Basic …`) → `none` (RFC 6750: no error code)
 * - `Bearer` with a malformed or oversized credential → `invalid`
 */
export function readBearerToken(header: string | undefined, maxTokenBytes: number): BearerCredentials {
  if (header === undefined || !SCHEME.test(header)) return { kind: 'none' };
  // Header values are latin1 on the wire, so length is the byte count.
  if (header.length > maxTokenBytes + 'bearer '.length + 16) {
    return { kind: 'invalid', reason: `token longer than ${maxTokenBytes} bytes` };
  }
  const match = BEARER.exec(header);
  if (!match) return { kind: 'invalid', reason: 'malformed bearer credential' };
  const token = match[1];
  if (token.length > maxTokenBytes) return { kind: 'invalid', reason: `token longer than ${maxTokenBytes} bytes` };
  return { kind: 'token', token };
}
