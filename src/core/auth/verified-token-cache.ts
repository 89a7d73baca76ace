import { hash } from 'node:crypto';
import type { Principal } from './principal';

interface Entry {
  principal: Principal;
  /** When the token expires (`exp`), in milliseconds since the epoch. */
  expiresAtMs: number;
  /** The key set generation the token was verified against. */
  keyGeneration: number;
}

/**
 * A bounded cache of tokens already verified, so a client sending the same
 * token on every request pays for one signature check, not one per request.
 *
 * - Keyed by the SHA-256 of the whole token (header, payload and signature):
 *   a token that differs in any byte is a miss and is verified in full.
 * - An entry lives until the token's `exp`, never longer. `nbf` needs no
 *   care: a token is only cached once it is valid, and stays valid until `exp`.
 * - An entry verified against an older key set generation (JWKS keys
 *   rotated) is a miss, so a retired key's tokens are re-verified and refused.
 * - At most `maxEntries`; the oldest entry is evicted first. 0 disables it.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number) {}

  /** False when configured with 0 entries: nothing is hashed or stored. */
  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  /**
   * The hash a token is cached under; computed once per request. The one-shot
   * `crypto.hash` (Node ≥ 20.12) gives the same digest as `createHash` without
   * a Hash object per call, so it is cheaper (see docs/performance.md).
   */
  keyOf(token: string): string {
    return hash('sha256', token, 'base64');
  }

  get(key: string, keyGeneration: number, nowMs: number): Principal | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs || entry.keyGeneration !== keyGeneration) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(key: string, principal: Principal, keyGeneration: number, nowMs: number): void {
    if (this.maxEntries === 0) return;
    const exp = principal.claims.exp;
    const expiresAtMs = typeof exp === 'number' ? exp * 1000 : 0;
    if (expiresAtMs <= nowMs) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { principal, expiresAtMs, keyGeneration });
  }

  get size(): number {
    return this.entries.size;
  }
}
