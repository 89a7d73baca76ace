import { createSecretKey, type KeyObject } from 'node:crypto';
import { sign, type Algorithm, type SignOptions } from 'jsonwebtoken';
import type { AppConfig } from '../../src/core/config/app-config';

/** Claims a test token carries; `sub` defaults to `alice`. Any other claim may be added. */
export interface TestClaims {
  sub?: string;
  scope?: string;
  roles?: string[];
  [claim: string]: unknown;
}

/** How long a test token lives, and anything jsonwebtoken's `sign` takes. */
export interface TestTokenOptions {
  /** Lifetime in seconds (default 300); negative for an already expired token. */
  expiresInSeconds?: number;
  /** Overrides: another key, algorithm, header (`kid`)... */
  key?: KeyObject | string;
  algorithm?: Algorithm;
  /** Extra JOSE header fields, e.g. `{ kid: 'k1' }`. */
  header?: Record<string, unknown>;
}

/** Mints tokens the app accepts; {@link tokenSigner} builds one from the app's own config. */
export interface TokenSigner {
  /** A signed JWT; defaults: `sub: alice`, `iat` now, `exp` in 5 minutes, the configured `iss`/`aud`. */
  token(claims?: TestClaims, options?: TestTokenOptions): string;
  /** `{ authorization: 'Bearer …' }` for `app.inject({ headers })`. */
  authHeader(claims?: TestClaims, options?: TestTokenOptions): { authorization: string };
}

/**
 * A signer for the app's shared secret (secret mode: the development secret
 * unless the suite set `AUTH_JWT_SECRET`), with the app's issuer and
 * audience when configured. In other modes pass `key` and `algorithm`.
 */
export function tokenSigner(config: AppConfig): TokenSigner {
  const auth = config.auth;
  const defaultKey = auth.secret !== undefined ? createSecretKey(Buffer.from(auth.secret, 'utf8')) : undefined;
  const token = (claims: TestClaims = {}, options: TestTokenOptions = {}): string => {
    const key = options.key ?? defaultKey;
    if (!key) throw new Error('not in secret mode: pass options.key');
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: 'alice',
      iat: now,
      exp: now + (options.expiresInSeconds ?? 300),
      ...(auth.issuers ? { iss: auth.issuers[0] } : {}),
      ...(auth.audiences ? { aud: auth.audiences[0] } : {}),
      ...claims,
    };
    const algorithm = options.algorithm ?? auth.algorithms[0];
    // jsonwebtoken cannot sign EdDSA: EdDSA suites sign with jose's SignJWT.
    if (algorithm === 'EdDSA') throw new Error('tokenSigner cannot sign EdDSA: use jose SignJWT');
    return sign(payload, key, {
      algorithm,
      ...(options.header ? { header: { ...options.header, alg: algorithm } as SignOptions['header'] } : {}),
    });
  };
  return {
    token,
    authHeader: (claims, options) => ({ authorization: `Bearer ${token(claims, options)}` }),
  };
}
