import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Env } from './config.schema';

/**
 * JWT signature algorithms the chassis accepts (RFC 7518 section 3, and
 * EdDSA with Ed25519 keys from RFC 8037), grouped by family. `none` is not
 * among them. HS/RS/PS/ES tokens are verified by passport-jwt (jsonwebtoken 9);
 * jsonwebtoken has no EdDSA, so EdDSA tokens are verified by `jose` instead
 * (see `src/core/auth/eddsa-verifier.ts`).
 */
export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/**
 * The shared secret used in development and test when no key setting is
 * given, so the service runs (and `npm run token` works) without an identity
 * provider. Its name says what it is; production refuses it.
 */
export const DEVELOPMENT_JWT_SECRET = 'insecure-development-only-jwt-secret-refused-in-production';

/** The three key settings; exactly one may be set. */
export const KEY_SETTINGS = ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URI'] as const;

/** The algorithm family: the two-letter prefix (HS, RS, PS, ES), or EdDSA (a family of its own). */
export function algorithmFamily(algorithm: JwtAlgorithm): string {
  return algorithm === 'EdDSA' ? 'EdDSA' : algorithm.slice(0, 2);
}

/** Whether `algorithms` is the EdDSA family (verified by `jose`, not by jsonwebtoken). */
export function isEddsa(algorithms: readonly JwtAlgorithm[]): boolean {
  return algorithms.length > 0 && algorithms.every((algorithm) => algorithm === 'EdDSA');
}

/** EC curve (Node's `namedCurve`) each ES algorithm requires (RFC 7518 section 3.4). */
const EC_CURVES: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

/**
 * Whether a public key can verify `algorithm`: RSA keys for RS and PS, RSA-PSS
 * keys for PS, EC keys on the algorithm's curve for ES, Ed25519 keys for EdDSA
 * (Ed448 is not accepted). Mirrors jsonwebtoken's (and jose's) own check, so a
 * key that passes here is never refused there.
 */
export function keySupportsAlgorithm(key: KeyObject, algorithm: JwtAlgorithm): boolean {
  const family = algorithmFamily(algorithm);
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return family === 'RS' || family === 'PS';
    case 'rsa-pss':
      return family === 'PS';
    case 'ec':
      return family === 'ES' && key.asymmetricKeyDetails?.namedCurve === EC_CURVES[algorithm];
    case 'ed25519':
      return algorithm === 'EdDSA';
    default:
      return false;
  }
}

/** The algorithm a static public key implies when `AUTH_JWT_ALGORITHMS` is unset. */
export function defaultAlgorithmForKey(key: KeyObject): JwtAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'rsa-pss') return 'PS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return (Object.keys(EC_CURVES) as JwtAlgorithm[]).find((algorithm) => EC_CURVES[algorithm] === curve);
}

/** Which key settings are set. */
export function keySettingsGiven(env: Env): (typeof KEY_SETTINGS)[number][] {
  return KEY_SETTINGS.filter((name) => env[name] !== undefined);
}

/**
 * Cross-variable rules of the authentication settings, checked in every
 * environment: one key mode only, algorithms from one family that matches
 * the mode. Returns one message per bad variable.
 */
export function authSettingProblems(env: Env): string[] {
  const problems: string[] = [];
  const given = keySettingsGiven(env);
  if (given.length > 1) {
    for (const name of given) {
      const others = given.filter((other) => other !== name).join(', ');
      problems.push(`${name}: conflicts with ${others}; set exactly one of ${KEY_SETTINGS.join(', ')} (one key mode)`);
    }
    return problems;
  }
  const algorithms = env.AUTH_JWT_ALGORITHMS;
  if (!algorithms) return problems;
  const families = [...new Set(algorithms.map(algorithmFamily))];
  if (families.length > 1) {
    problems.push(
      `AUTH_JWT_ALGORITHMS: mixes algorithm families (${families.join(', ')}); list algorithms of one family only (prevents algorithm confusion)`,
    );
  }
  const symmetric = families.includes('HS');
  const secretMode = given.length === 0 || given[0] === 'AUTH_JWT_SECRET';
  if (symmetric && !secretMode) {
    problems.push(`AUTH_JWT_ALGORITHMS: HS* algorithms need AUTH_JWT_SECRET, not ${given[0]}`);
  } else if (!symmetric && secretMode) {
    problems.push('AUTH_JWT_ALGORITHMS: a shared secret verifies HS256, HS384 or HS512 only');
  }
  return problems;
}

/** Loads a static public key (PEM text or a file's content) and refuses private keys. */
export function parsePublicKey(pem: string): KeyObject {
  if (/PRIVATE KEY-----/.test(pem)) {
    throw new Error('is a private key; give the public key (or certificate) only');
  }
  return createPublicKey(pem);
}
