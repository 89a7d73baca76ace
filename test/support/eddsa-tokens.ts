import type { KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';

/** The issuer and audience the EdDSA suites configure. */
export const EDDSA_ISSUER = 'https://idp.test/';
export const EDDSA_AUDIENCE = 'items-api';

const now = () => Math.floor(Date.now() / 1000);

/** Valid claims for the EdDSA suites (alice, `items:read`, one minute), with overrides. */
export function eddsaClaims(extra: JWTPayload = {}): JWTPayload {
  return { sub: 'alice', scope: 'items:read', iss: EDDSA_ISSUER, aud: EDDSA_AUDIENCE, iat: now(), exp: now() + 60, ...extra };
}

/** An EdDSA token signed by jose (jsonwebtoken cannot sign EdDSA). */
export function signEddsa(key: KeyObject, payload: JWTPayload = eddsaClaims(), header: Record<string, string> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ ...header, alg: 'EdDSA', typ: 'JWT' }).sign(key);
}
