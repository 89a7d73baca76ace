import { DEVELOPMENT_JWT_SECRET, keySettingsGiven, KEY_SETTINGS } from './auth-settings';
import type { Env } from './config.schema';

/**
 * Values copied from examples that must never reach a real deployment.
 * Compared case-insensitively against secret-bearing settings.
 */
const PLACEHOLDERS = ['changeme', 'change-me', 'change_me', 'replace-me', 'placeholder', 'example'];

function isPlaceholder(secret: string): boolean {
  const lowered = secret.toLowerCase();
  return PLACEHOLDERS.some((placeholder) => lowered.includes(placeholder));
}

function databasePassword(url: string): string | undefined {
  if (!url.startsWith('postgres')) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Settings that are refused in every environment, and the ones refused only
 * when `NODE_ENV=production`. Returns one message per refused variable.
 */
export function insecureSettings(env: Env): string[] {
  const problems: string[] = [];
  if (env.DATABASE_SYNCHRONIZE) {
    problems.push('DATABASE_SYNCHRONIZE: schema synchronize is never enabled; use migrations (npm run migration:generate)');
  }
  if (env.CORS_CREDENTIALS && env.CORS_ORIGINS?.includes('*')) {
    problems.push('CORS_ORIGINS: "*" with CORS_CREDENTIALS=true would let any site make credentialed requests; list the origins');
  }
  if (env.RATE_LIMIT_POLICIES?.some((entry) => entry.startsWith('default='))) {
    problems.push('RATE_LIMIT_POLICIES: "default" is the default policy; set RATE_LIMIT_LIMIT and RATE_LIMIT_WINDOW_SECONDS instead');
  }
  if (env.NODE_ENV !== 'production') return problems;

  const password = databasePassword(env.DATABASE_URL);
  if (password !== undefined && isPlaceholder(password)) {
    problems.push('DATABASE_URL: the password is a placeholder; set a real secret in production');
  }
  if (env.DATABASE_LOGGING) {
    problems.push('DATABASE_LOGGING: query logging prints parameters (personal data, secrets); refused in production');
  }
  if (env.LOG_FORMAT === 'pretty') {
    problems.push('LOG_FORMAT: pretty logs are for development; production logs must be JSON lines');
  }
  problems.push(...productionAuthProblems(env));
  return problems;
}

/**
 * Production authentication: a real key setting (the development secret is
 * refused), `iss` and `aud` checked, keys fetched over TLS.
 */
function productionAuthProblems(env: Env): string[] {
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
