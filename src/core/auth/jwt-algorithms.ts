import type { KeyObject } from 'node:crypto';

/**
 * JWT signature algorithms the chassis accepts (RFC 7518 section 3, and
 * EdDSA with Ed25519 keys from RFC 8037), grouped by family. `none` is not
 * among them. HS/RS/PS/ES tokens are verified by passport-jwt (jsonwebtoken 9);
 * jsonwebtoken has no EdDSA, so EdDSA tokens are verified by `jose` instead
 * (see `eddsa-verifier.ts`).
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
