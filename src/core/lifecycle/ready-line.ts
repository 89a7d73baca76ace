import type { AppConfig } from '../config/app-config';
import type { BootMigrations } from '../database/run-migrations';
import { maskUrlPassword } from '../config/masked-url';

/** The fields of the ready line, for log queries (`msg` says the same in words). */
export interface ReadyFacts {
  url: string;
  environment: AppConfig['app']['env'];
  /** The database URL with any password replaced by `***`. */
  database: string;
  migrations: { known: number; appliedNow: string[] | 'not run at boot' };
  redis: 'on' | 'off';
  auth: AppConfig['auth']['mode'];
  tracing: 'on' | 'off';
  docs?: string;
}

/**
 * The one line that says the service is ready and what it runs on: where it
 * listens, the environment, the database (password masked), the migrations
 * (known, applied by this boot), which optional services are on (Redis,
 * tracing), the authentication mode, and Swagger UI when enabled.
 */
export function readyLine(url: string, config: AppConfig, migrations: BootMigrations): { msg: string; ready: ReadyFacts } {
  const ready: ReadyFacts = {
    url,
    environment: config.app.env,
    database: maskUrlPassword(config.database.url),
    migrations: { known: migrations.known, appliedNow: migrations.applied ?? 'not run at boot' },
    redis: config.redis.url === undefined ? 'off' : 'on',
    auth: config.auth.mode,
    tracing: config.tracing.enabled ? 'on' : 'off',
    ...(config.openApi.enabled ? { docs: `${url}${config.openApi.path}` } : {}),
  };
  const applied =
    migrations.applied === undefined
      ? 'not run at boot (DATABASE_MIGRATIONS_RUN=false)'
      : `${migrations.applied.length} applied now, ${migrations.known} known, none pending`;
  const parts = [
    `Ready on ${url} (${config.app.env})`,
    `database ${ready.database}`,
    `migrations: ${applied}`,
    `redis ${ready.redis}`,
    `auth ${ready.auth}${config.auth.usesDevelopmentSecret ? ' (the development secret)' : ''}${config.auth.mode === 'jwks' ? ` (JWKS ${config.auth.jwksUri ?? ''})` : ''}`,
    `tracing ${ready.tracing}`,
    ...(ready.docs ? [`docs ${ready.docs}`] : []),
  ];
  return { msg: parts.join(' · '), ready };
}
