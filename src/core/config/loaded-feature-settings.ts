import type { AppConfig } from './app-config';
import type { FeatureSettings } from './feature-settings';

/** The features' loaded settings, kept beside the configuration object they were validated with. */
const loaded = new WeakMap<AppConfig, ReadonlyMap<string, unknown>>();

/** Records the features' settings validated together with `config` (by feature name). */
export function keepFeatureSettings(config: AppConfig, settings: ReadonlyMap<string, unknown>): void {
  loaded.set(config, settings);
}

/**
 * A feature's settings as validated at boot with `config`.
 *
 * @throws Error when they were not validated with it: the feature's settings file was not imported before `loadConfig` ran.
 */
export function loadedFeatureSettings<Settings>(config: AppConfig, definition: FeatureSettings<Settings>): Settings {
  const settings = loaded.get(config);
  if (!settings?.has(definition.name)) {
    throw new Error(
      `feature settings "${definition.name}" were not validated at boot: import the feature's module before the configuration is loaded`,
    );
  }
  return settings.get(definition.name) as Settings;
}
