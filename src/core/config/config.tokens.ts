/** Injection token for the typed {@link AppConfig}. Inject with `@InjectConfig()`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
