import { productionAuthProblems } from '../auth/auth-settings.rules';
import { databaseSettingProblems, productionDatabaseProblems } from '../database/database-settings.rules';
import type { Env } from './config.schema';

/**
 * Settings that are refused in every environment, and the ones refused only
 * when `NODE_ENV=production`. Returns one message per refused variable.
 */
export function insecureSettings(env: Env): string[] {
  const problems = databaseSettingProblems(env);
  if (env.CORS_CREDENTIALS && env.CORS_ORIGINS?.includes('*')) {
    problems.push('CORS_ORIGINS: "*" with CORS_CREDENTIALS=true would let any site make credentialed requests; list the origins');
  }
  if (env.RATE_LIMIT_POLICIES?.some((entry) => entry.startsWith('default='))) {
    problems.push('RATE_LIMIT_POLICIES: "default" is the default policy; set RATE_LIMIT_LIMIT and RATE_LIMIT_WINDOW_SECONDS instead');
  }
  if (env.NODE_ENV !== 'production') return problems;

  problems.push(...productionDatabaseProblems(env));
  if (env.LOG_FORMAT === 'pretty') {
    problems.push('LOG_FORMAT: pretty logs are for development; production logs must be JSON lines');
  }
  problems.push(...productionAuthProblems(env));
  return problems;
}
