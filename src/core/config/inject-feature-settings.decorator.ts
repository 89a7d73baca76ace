import { Inject } from '@nestjs/common';
import type { FeatureSettings } from './feature-settings';

/** Injects a feature's validated settings: `@InjectFeatureSettings(ordersSettings) settings: FeatureSettingsOf<typeof ordersSettings>`. */
export const InjectFeatureSettings = (settings: FeatureSettings): ParameterDecorator => Inject(settings.KEY);
