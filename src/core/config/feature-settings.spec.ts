import { z } from 'zod';
import { envInt } from './env';
import { defineFeatureSettings, definedFeatureSettings } from './feature-settings';

describe('defineFeatureSettings', () => {
  it('registers a block whose variables carry the feature prefix', () => {
    const settings = defineFeatureSettings(
      'spec-orders',
      z
        .object({ SPEC_ORDERS_RETRY_DELAY_SECONDS: envInt(1, 3600).default(30) })
        .transform((env) => ({ retryDelaySeconds: env.SPEC_ORDERS_RETRY_DELAY_SECONDS })),
    );
    expect(settings.name).toBe('spec-orders');
    expect(typeof settings.KEY).toBe('symbol');
    expect(definedFeatureSettings()).toContain(settings);
    expect(settings.block.parse({})).toEqual({ retryDelaySeconds: 30 });
  });

  it('accepts a plain object of variables (the settings are the parsed variables)', () => {
    const settings = defineFeatureSettings('spec-plain', z.object({ SPEC_PLAIN_ENABLED: z.string().default('yes') }));
    expect(settings.block.parse({})).toEqual({ SPEC_PLAIN_ENABLED: 'yes' });
  });

  it('refuses a variable without the feature prefix, and a name that is not a feature name', () => {
    expect(() => defineFeatureSettings('spec-orders', z.object({ RETRY_DELAY_SECONDS: envInt(1, 60) }))).toThrow(
      /RETRY_DELAY_SECONDS must start with SPEC_ORDERS_/,
    );
    expect(() => defineFeatureSettings('Orders', z.object({}))).toThrow(/lower-case feature name/);
  });

  it('replaces the definition of a feature defined again', () => {
    const first = defineFeatureSettings('spec-again', z.object({}));
    const second = defineFeatureSettings('spec-again', z.object({}));
    expect(definedFeatureSettings()).toContain(second);
    expect(definedFeatureSettings()).not.toContain(first);
  });
});
