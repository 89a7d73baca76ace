import type { KeyObject } from 'node:crypto';

/** What readiness reports about the signing keys (see docs/authentication.md). */
export interface KeysReadiness {
  /** `down`: no key set (never fetched, or past the grace period); `degraded`: serving a stale set in its grace period. */
  status: 'up' | 'degraded' | 'down';
  detail: Record<string, unknown>;
}

/** passport-jwt's `secretOrKeyProvider` callback. */
export type KeyCallback = (error: unknown, key?: KeyObject) => void;

/**
 * The verification keys of the configured mode: the shared secret or the
 * static public key ({@link StaticKeySource}), or the JWKS
 * ({@link JwksKeySource}); {@link createJwtKeyStore} picks one at boot and
 * it is injected under this class. passport-jwt asks it for the key of each
 * token ({@link provideKey}); the authentication guard reads its
 * {@link generation} for the verified-token cache, and `/health/ready` its
 * {@link readiness}.
 */
export abstract class JwtKeyStore {
  /**
   * The key to verify `token` with. Static keys answer synchronously.
   *
   * @throws InvalidTokenError when no key fits the token (unknown `kid`, malformed header).
   * @throws KeySetUnavailableError when there is no key set to look in.
   */
  abstract keyFor(token: string): KeyObject | Promise<KeyObject>;

  /** Changes whenever the key set changes (JWKS rotation), so tokens verified before are re-verified. */
  abstract readonly generation: number;

  /**
   * Readiness of authentication: `up` with a static key; in JWKS mode `down`
   * until the key set was fetched once (and again after the grace period
   * ran out), `degraded` while serving the last good set because refetching fails.
   */
  abstract readiness(): KeysReadiness;

  /** For `Retry-After` when keys are unavailable. */
  abstract retryAfterSeconds(): number;

  /**
   * passport-jwt's `secretOrKeyProvider`: hands it the key of `token`, or the
   * error that the strategy reports as a failure (the guard answers 401, or
   * 503 for a {@link KeySetUnavailableError}).
   */
  provideKey(token: string, done: KeyCallback): void {
    let key;
    try {
      key = this.keyFor(token);
    } catch (error) {
      done(error);
      return;
    }
    if (key instanceof Promise) key.then((resolved) => done(null, resolved), done);
    else done(null, key);
  }
}
