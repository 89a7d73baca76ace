import { InvalidTokenError } from '../auth.errors';

/** The JOSE header fields key selection needs (RFC 7515 section 4.1). */
export interface JoseHeader {
  alg: string;
  kid?: string;
}

/**
 * Decodes a compact JWS's header without verifying anything, to pick the
 * key by `kid`. Everything in it is attacker-controlled: only its shape is
 * trusted here, and the signature check comes after.
 *
 * @throws InvalidTokenError when the header is not a JSON object with a string `alg` (and string `kid`, if any).
 */
export function decodeJoseHeader(token: string): JoseHeader {
  const dot = token.indexOf('.');
  if (dot <= 0) throw new InvalidTokenError('malformed token: no header');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('malformed token header');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new InvalidTokenError('malformed token header');
  const { alg, kid } = header as { alg?: unknown; kid?: unknown };
  if (typeof alg !== 'string') throw new InvalidTokenError('token header without alg');
  if (kid !== undefined && typeof kid !== 'string') throw new InvalidTokenError('token header kid is not a string');
  return { alg, kid };
}
