import { Inject } from '@nestjs/common';
import { APP_CONFIG } from './config.tokens';

/** Injects the validated, typed {@link AppConfig} (`@InjectConfig() config: AppConfig`). */
export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);
