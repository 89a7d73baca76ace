import { Injectable, Module } from '@nestjs/common';
import { z } from 'zod';
import { defineFeatureSettings, envInt, FeatureSettingsModule, InjectFeatureSettings, type FeatureSettingsOf } from '../../src/core';
import { ConfigValidationError } from '../../src/core/config/config.error';
import { bootTestApp, type TestApp } from '../support/test-app';

/** A feature's settings, declared the way a feature declares them (its own folder, the public API only). */
const shippingSettings = defineFeatureSettings(
  'shipping',
  z
    .object({
      /** Wait before a failed shipment is retried, in seconds. */
      SHIPPING_RETRY_DELAY_SECONDS: envInt(1, 3600).default(30),
    })
    .transform((env) => ({ retryDelaySeconds: env.SHIPPING_RETRY_DELAY_SECONDS })),
);

@Injectable()
class ShippingService {
  constructor(@InjectFeatureSettings(shippingSettings) readonly settings: FeatureSettingsOf<typeof shippingSettings>) {}
}

@Module({ imports: [FeatureSettingsModule.forFeature(shippingSettings)], providers: [ShippingService] })
class ShippingModule {}

describe('feature settings', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('reach the feature typed, from the environment', async () => {
    t = await bootTestApp({ SHIPPING_RETRY_DELAY_SECONDS: '7' }, { after: [ShippingModule] });
    expect(t.app.get(ShippingService).settings).toEqual({ retryDelaySeconds: 7 });
  });

  it('stop the boot with every bad variable, the chassis’s and the feature’s, in one error', async () => {
    const boot = bootTestApp({ PORT: '70000', SHIPPING_RETRY_DELAY_SECONDS: '0' }, { after: [ShippingModule] });
    await expect(boot).rejects.toThrow(ConfigValidationError);
    await expect(boot).rejects.toThrow(/PORT: [^\n]*\n\s+- SHIPPING_RETRY_DELAY_SECONDS: Too small/);
  });
});
