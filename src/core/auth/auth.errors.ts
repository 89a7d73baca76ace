/**
 * A presented token was refused. `reason` is for the debug log only; the
 * client always gets the same generic 401 (no oracle for attackers).
 */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/**
 * No key set to verify with: the JWKS was never fetched, or the last good
 * set is past its grace period and the provider is unreachable. The token
 * may be fine, so this is a 503, not a 401.
 */
export class KeySetUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'KeySetUnavailableError';
  }
}
