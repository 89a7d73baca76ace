import { Inject } from '@nestjs/common';
import { metricToken } from './metrics.tokens';

/**
 * Injects a metric declared with `counterProvider()`, `gaugeProvider()` or
 * `histogramProvider()` (see metric-providers.ts), by its name.
 *
 * @example `constructor(@InjectMetric('orders_placed_total') private readonly placed: Counter<'channel'>) {}`
 */
export const InjectMetric = (name: string): PropertyDecorator & ParameterDecorator => Inject(metricToken(name));
