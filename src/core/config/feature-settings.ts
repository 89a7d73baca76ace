import { z } from 'zod';
import type { SettingsBlock } from './settings-block';

/**
 * A feature's own settings: environment variables it declares in its folder,
 * validated at boot with the chassis's (one error lists every bad variable,
 * the features' included) and injected typed with
 * `@InjectFeatureSettings(settings)`. Made by {@link defineFeatureSettings}.
 */
export interface FeatureSettings<Settings = unknown> {
  /** The feature's name (`orders`); every variable starts with its upper-case form and `_` (`ORDERS_`). */
  readonly name: string;
  /** The variables and the transform to the typed settings. */
  readonly block: SettingsBlock<Settings>;
  /** The injection token of the loaded settings. */
  readonly KEY: symbol;
}

/** The typed settings a {@link FeatureSettings} loads to: `FeatureSettingsOf<typeof ordersSettings>`. */
export type FeatureSettingsOf<Definition> = Definition extends FeatureSettings<infer Settings> ? Settings : never;

const FEATURE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** Every feature's settings defined so far, by feature name (the boot validation reads them). */
const defined = new Map<string, FeatureSettings>();

/**
 * Declares a feature's settings, in the feature's folder
 * (`src/features/orders/orders.settings.ts`), the way the chassis declares
 * its own: a zod object of variables, each documented next to its field,
 * optionally with a `.transform()` to the shape the feature reads.
 *
 * ```ts
 * export const ordersSettings = defineFeatureSettings(
 *   'orders',
 *   z.object({
 *     // Wait before a failed order is retried, in seconds.
 *     ORDERS_RETRY_DELAY_SECONDS: envInt(1, 3600).default(30),
 *   }).transform((env) => ({ retryDelaySeconds: env.ORDERS_RETRY_DELAY_SECONDS })),
 * );
 * ```
 *
 * Then `FeatureSettingsModule.forFeature(ordersSettings)` in the feature's
 * module imports, and `@InjectFeatureSettings(ordersSettings) settings:
 * FeatureSettingsOf<typeof ordersSettings>` in a constructor. Defining a
 * feature's settings again (a module loaded twice) replaces the definition.
 *
 * @throws Error when `name` is not a lower-case feature name or a variable does not start with the feature's prefix.
 */
export function defineFeatureSettings<Settings>(name: string, schema: SettingsBlock<Settings>): FeatureSettings<Settings>;
export function defineFeatureSettings<Shape extends z.ZodRawShape>(
  name: string,
  schema: z.ZodObject<Shape>,
): FeatureSettings<z.output<z.ZodObject<Shape>>>;
export function defineFeatureSettings(name: string, schema: SettingsBlock | z.ZodObject): FeatureSettings {
  if (!FEATURE_NAME.test(name)) throw new Error(`feature settings "${name}": the name must be a lower-case feature name such as orders`);
  const block = schema instanceof z.ZodObject ? schema.transform((env) => env) : schema;
  const prefix = `${name.toUpperCase().replaceAll('-', '_')}_`;
  const unprefixed = Object.keys(block.in.shape).filter((variable) => !variable.startsWith(prefix));
  if (unprefixed.length > 0) {
    throw new Error(`feature settings "${name}": ${unprefixed.join(', ')} must start with ${prefix} (one prefix per feature, no clash)`);
  }
  const settings: FeatureSettings = { name, block, KEY: Symbol(`feature settings ${name}`) };
  defined.set(name, settings);
  return settings;
}

/** The feature settings defined so far (by the modules imported before the configuration is loaded). */
export function definedFeatureSettings(): FeatureSettings[] {
  return [...defined.values()];
}
