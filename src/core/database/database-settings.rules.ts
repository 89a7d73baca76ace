import { isPlaceholder } from '../config/placeholders';

/** The database variables these rules read, as parsed. */
interface DatabaseVariables {
  DATABASE_URL: string;
  DATABASE_LOGGING: boolean;
  DATABASE_SYNCHRONIZE: boolean;
}

/** Refused in every environment: the schema changes by migrations only. */
export function databaseSettingProblems(env: DatabaseVariables): string[] {
  return env.DATABASE_SYNCHRONIZE
    ? ['DATABASE_SYNCHRONIZE: schema synchronize is never enabled; use migrations (npm run migration:generate)']
    : [];
}

/** Refused when `NODE_ENV=production`: a placeholder password, query logging (it prints parameters). */
export function productionDatabaseProblems(env: DatabaseVariables): string[] {
  const problems: string[] = [];
  const password = databasePassword(env.DATABASE_URL);
  if (password !== undefined && isPlaceholder(password)) {
    problems.push('DATABASE_URL: the password is a placeholder; set a real secret in production');
  }
  if (env.DATABASE_LOGGING) {
    problems.push('DATABASE_LOGGING: query logging prints parameters (personal data, secrets); refused in production');
  }
  return problems;
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
