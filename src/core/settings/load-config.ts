import { authSettingProblems } from '../auth/auth-settings.rules';
import type { AppConfig } from '../config/app-config';
import { loadSettings } from '../config/load-settings';
import type { EnvSource } from '../config/settings-block';
import { chassisSettings, type Env } from './config.schema';
import { insecureSettings } from './production-rules';

export type { EnvSource } from '../config/settings-block';

/**
 * Validates the environment and builds the typed {@link AppConfig} from the
 * chassis's blocks (`config.schema.ts`).
 *
 * Empty strings count as unset, so `PORT=` in a `.env` file falls back to the
 * default instead of failing.
 *
 * @throws ConfigValidationError listing every bad variable (not just the first).
 */
export function loadConfig(source: EnvSource): AppConfig {
  return loadSettings(chassisSettings, source, rulesBetweenVariables);
}

/** Rules between variables (one key mode, production refusals), run once every variable is valid on its own. */
function rulesBetweenVariables(env: Env): string[] {
  return [...authSettingProblems(env), ...insecureSettings(env)];
}
