import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { VerifyOptions } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { InvalidTokenError } from './auth.errors';

/** The checks an EdDSA token must pass, as configured (`AuthConfig`). */
export interface EddsaVerifyOptions {
  /** Accepted `iss` values; unset accepts any. */
  issuers?: string[];
  /** Accepted `aud` values (one must match); unset accepts any. */
  audiences?: string[];
  /** Leeway for `exp`, `nbf` (and `iat`, checked in buildPrincipal), in seconds. */
  clockToleranceSeconds: number;
}

/**
 * Verifies an EdDSA (Ed25519, RFC 8037) compact JWS with `jose`'s `jwtVerify`,
 * because jsonwebtoken 9 (passport-jwt's verifier) does not implement EdDSA.
 * The checks are those of the jsonwebtoken path: `alg` must be `EdDSA` (never
 * `none`, never another family, so an RS/HS token is refused), the signature
 * must verify with `key`, `iss` and `aud` must match when configured, `exp`
 * must be present and not past, `nbf` not in the future, all with the clock
 * tolerance. `sub` and `iat` are then checked by `buildPrincipal`, as for
 * every token.
 *
 * @returns the verified payload.
 * @throws InvalidTokenError naming the failed check (jose's error code and message), for a 401.
 */
export async function verifyEddsaToken(token: string, key: KeyObject, options: EddsaVerifyOptions): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['EdDSA'],
      issuer: options.issuers,
      audience: options.audiences,
      clockTolerance: options.clockToleranceSeconds,
      requiredClaims: ['exp'],
    });
    return payload;
  } catch (error) {
    // Only jose's own verdicts are about the token; anything else is a bug and stays a 500.
    if (error instanceof errors.JOSEError) throw new InvalidTokenError(`${error.code}: ${error.message}`);
    throw error;
  }
}

/** passport-jwt's verifier: jsonwebtoken's `verify(token, key, options, callback)`. */
type JwtVerifier = (
  token: string,
  key: KeyObject,
  options: VerifyOptions,
  callback: (error: unknown, payload?: JWTPayload) => void,
) => void;

/** passport-jwt's `Strategy.JwtVerifier` seam (lib/strategy.js), which its type definitions do not declare. */
const strategy = Strategy as unknown as { JwtVerifier: JwtVerifier };
const jsonwebtokenVerifier = strategy.JwtVerifier;

/**
 * passport-jwt's verifier with EdDSA added: a strategy whose allow-list is
 * EdDSA gets {@link verifyEddsaToken}, every other one jsonwebtoken as before.
 * The choice follows each strategy's own options, so strategies of different
 * modes in one process each keep theirs.
 */
function verifyJwt(token: string, key: KeyObject, options: VerifyOptions, callback: (error: unknown, payload?: JWTPayload) => void): void {
  const algorithms: readonly string[] = options.algorithms ?? [];
  if (algorithms.length === 0 || algorithms.some((algorithm) => algorithm !== 'EdDSA')) {
    jsonwebtokenVerifier(token, key, options, callback);
    return;
  }
  const checks = {
    issuers: list(options.issuer),
    audiences: list(options.audience as string | string[] | undefined),
    clockToleranceSeconds: options.clockTolerance ?? 0,
  };
  verifyEddsaToken(token, key, checks).then((payload) => callback(null, payload), callback);
}

/**
 * Makes passport-jwt verify EdDSA tokens: jsonwebtoken 9, its verifier, has
 * no EdDSA, and `Strategy.JwtVerifier` is where passport-jwt lets the
 * verification be replaced. Idempotent.
 */
export function addEddsaToPassportJwt(): void {
  strategy.JwtVerifier = verifyJwt;
}

function list<T>(value: T | T[] | undefined): T[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value : [value];
}
