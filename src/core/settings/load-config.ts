import { authSettingProblems } from '../auth/auth-settings.rules';
import type { AppConfig } from '../config/app-config';
import { definedFeatureSettings, type FeatureSettings } from '../config/feature-settings';
import { keepFeatureSettings } from '../config/loaded-feature-settings';
import { ConfigValidationError } from '../config/config.error';
import { loadSettings } from '../config/load-settings';
import { readUpstreamVariables, resolveUpstreams } from '../http-client/named-upstreams';
import type { EnvSource, SettingsBlocks } from '../config/settings-block';
import { chassisSettings, envSchema, type Env } from './config.schema';
import { insecureSettings } from './production-rules';

export type { EnvSource } from '../config/settings-block';

/**
 * Validates the environment and builds the typed {@link AppConfig}: the
 * chassis's blocks (`config.schema.ts`) and every feature's settings defined
 * so far (`defineFeatureSettings`, imported with the feature's module), in one
 * pass, so one error lists every bad variable, the features' included.
 *
 * Empty strings count as unset, so `PORT=` in a `.env` file falls back to the
 * default instead of failing.
 *
 * @throws ConfigValidationError listing every bad variable (not just the first).
 * @throws Error when a feature declares a variable the chassis or another feature already reads.
 */
export function loadConfig(source: EnvSource): AppConfig {
  const features = definedFeatureSettings();
  const featureBlocks = blocksOf(features);
  // The UPSTREAM_<NAME>_* variables are a pattern, not schema keys: read apart, listed in the same error.
  const upstreams = readUpstreamVariables(source);
  let loaded: Record<string, unknown>;
  try {
    loaded = loadSettings({ ...chassisSettings, ...featureBlocks }, source, rulesBetweenVariables);
  } catch (error) {
    if (error instanceof ConfigValidationError) throw new ConfigValidationError([...error.problems, ...upstreams.problems]);
    throw error;
  }
  if (upstreams.problems.length > 0) throw new ConfigValidationError(upstreams.problems);
  const config = Object.fromEntries(Object.keys(chassisSettings).map((name) => [name, loaded[name]])) as unknown as AppConfig;
  config.httpClient = { ...config.httpClient, upstreams: resolveUpstreams(upstreams.upstreams, config) };
  keepFeatureSettings(config, new Map(features.map((feature) => [feature.name, loaded[blockName(feature)]])));
  return config;
}

/** Rules between variables (one key mode, production refusals), run once every variable is valid on its own. */
function rulesBetweenVariables(env: Env): string[] {
  return [...authSettingProblems(env), ...insecureSettings(env)];
}

/** Feature blocks under names no chassis slice has; a variable read twice is a programming error. */
function blocksOf(features: FeatureSettings[]): SettingsBlocks {
  const owners = new Map<string, string>(Object.keys(envSchema.shape).map((variable) => [variable, 'the chassis']));
  const blocks: SettingsBlocks = {};
  for (const feature of features) {
    for (const variable of Object.keys(feature.block.in.shape)) {
      const owner = owners.get(variable);
      if (owner) throw new Error(`feature settings "${feature.name}": ${variable} is already read by ${owner}`);
      owners.set(variable, `feature ${feature.name}`);
    }
    blocks[blockName(feature)] = feature.block;
  }
  return blocks;
}

function blockName(feature: FeatureSettings): string {
  return `feature:${feature.name}`;
}
