import { isPlaceholder } from '../config/placeholders';
import type { AuthVariables } from './auth.config';
import { algorithmFamily } from './jwt-algorithms';

/**
 * The shared secret used in development and test when no key setting is
 * given, so the service runs (and `npm run token` works) without an identity
 * provider. Its name says what it is; production refuses it.
 */
export const DEVELOPMENT_JWT_SECRET = 'insecure-development-only-jwt-secret-refused-in-production';

/** The three key settings; exactly one may be set. */
export const KEY_SETTINGS = ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URI'] as const;

/** Which key settings are set. */
export function keySettingsGiven(env: AuthVariables): (typeof KEY_SETTINGS)[number][] {
  return KEY_SETTINGS.filter((name) => env[name] !== undefined);
}

/**
 * Cross-variable rules of the authentication settings, checked in every
 * environment: one key mode only, algorithms from one family that matches
 * the mode. Returns one message per bad variable.
 */
export function authSettingProblems(env: AuthVariables): string[] {
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

/**
 * Production authentication: a real key setting (the development secret is
 * refused), `iss` and `aud` checked, keys fetched over TLS.
 */
export function productionAuthProblems(env: AuthVariables): string[] {
  const problems: string[] = [];
  if (keySettingsGiven(env).length === 0) {
    problems.push(`AUTH_JWT_SECRET: one of ${KEY_SETTINGS.join(', ')} is required in production (the development secret is refused)`);
  }
  const secret = env.AUTH_JWT_SECRET;
  if (secret !== undefined && (secret === DEVELOPMENT_JWT_SECRET || isPlaceholder(secret))) {
    problems.push('AUTH_JWT_SECRET: the development or a placeholder secret; set a random secret of at least 32 bytes in production');
  }
  if (env.AUTH_JWKS_URI !== undefined && !env.AUTH_JWKS_URI.startsWith('https://')) {
    problems.push('AUTH_JWKS_URI: must be https:// in production (keys fetched in clear text can be replaced)');
  }
  if (!env.AUTH_JWT_ISSUER) problems.push('AUTH_JWT_ISSUER: required in production (tokens from any issuer would be accepted)');
  if (!env.AUTH_JWT_AUDIENCE) {
    problems.push('AUTH_JWT_AUDIENCE: required in production (tokens minted for another service would be accepted)');
  }
  return problems;
}
