import { productionAuthProblems } from '../auth/auth-settings.rules';
import { isPlaceholder } from '../config/placeholders';
import type { Env } from './config.schema';

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
