import { z } from 'zod';
import { ConfigValidationError } from '../config/config.error';
import { envBoolean, envInt } from '../config/env';
import { defineFeatureSettings } from '../config/feature-settings';
import { loadedFeatureSettings } from '../config/loaded-feature-settings';
import { loadConfig } from './load-config';

const ordersSettings = defineFeatureSettings(
  'orders',
  z
    .object({
      /** Wait before a failed order is retried, in seconds. */
      ORDERS_RETRY_DELAY_SECONDS: envInt(1, 3600).default(30),
      ORDERS_NOTIFY: envBoolean().default(false),
    })
    .transform((env) => ({ retryDelaySeconds: env.ORDERS_RETRY_DELAY_SECONDS, notify: env.ORDERS_NOTIFY })),
);

describe('feature settings at boot', () => {
  it('are validated with the chassis settings and reachable from the configuration', () => {
    const config = loadConfig({ ORDERS_RETRY_DELAY_SECONDS: '7' });
    expect(loadedFeatureSettings(config, ordersSettings)).toEqual({ retryDelaySeconds: 7, notify: false });
    expect(loadedFeatureSettings(loadConfig({}), ordersSettings).retryDelaySeconds).toBe(30);
  });

  it('leave the chassis configuration exactly as it was', () => {
    expect(Object.keys(loadConfig({}))).not.toContain('feature:orders');
  });

  it('are listed in the one error with every bad chassis variable', () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({ PORT: '70000', ORDERS_RETRY_DELAY_SECONDS: 'soon', ORDERS_NOTIFY: 'maybe' });
    } catch (error) {
      problems = (error as ConfigValidationError).problems;
    }
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['PORT', 'ORDERS_RETRY_DELAY_SECONDS', 'ORDERS_NOTIFY']);
    expect(problems[1]).toBe('ORDERS_RETRY_DELAY_SECONDS: must be an integer (got "soon")');
  });

  it('refuse a configuration built without them', () => {
    const other = defineFeatureSettings('late', z.object({ LATE_LIMIT: envInt(1, 10).default(1) }));
    const config = loadConfig({});
    expect(loadedFeatureSettings(config, other)).toEqual({ LATE_LIMIT: 1 });
    expect(() => loadedFeatureSettings({ ...config }, ordersSettings)).toThrow(/"orders" were not validated at boot/);
  });

  it('may not read a variable the chassis (or another feature) reads', () => {
    defineFeatureSettings('port', z.object({ PORT_NUMBER: envInt(1, 10).optional() }));
    defineFeatureSettings('cache', z.object({ CACHE_TTL_SECONDS: envInt(1, 10).optional() }));
    expect(() => loadConfig({})).toThrow('feature settings "cache": CACHE_TTL_SECONDS is already read by the chassis');
  });
});
