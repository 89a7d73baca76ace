import type { KeyObject } from 'node:crypto';

/** What readiness reports about the signing keys (see docs/authentication.md). */
export interface KeysReadiness {
  /** `down`: no key set (never fetched, or past the grace period); `degraded`: serving a stale set in its grace period. */
  status: 'up' | 'degraded' | 'down';
  detail: Record<string, unknown>;
}

/** Where the verification key of a token comes from: a static key, or a JWKS. */
export interface KeySource {
  /**
   * The key to verify `token` with. Static sources answer synchronously.
   *
   * @throws InvalidTokenError when no key fits the token (unknown `kid`, malformed header).
   * @throws KeySetUnavailableError when there is no key set to look in.
   */
  keyFor(token: string): KeyObject | Promise<KeyObject>;
  /** Changes whenever the key set changes, so tokens verified before are re-verified. */
  readonly generation: number;
  readiness(): KeysReadiness;
  /** For `Retry-After` when keys are unavailable. */
  retryAfterSeconds(): number;
}

/** A single configured key: the shared secret or the static public key. */
export class StaticKeySource implements KeySource {
  readonly generation = 0;

  constructor(
    private readonly key: KeyObject,
    private readonly mode: 'secret' | 'public-key',
  ) {}

  keyFor(): KeyObject {
    return this.key;
  }

  readiness(): KeysReadiness {
    return { status: 'up', detail: { mode: this.mode } };
  }

  retryAfterSeconds(): number {
    return 1;
  }
}
