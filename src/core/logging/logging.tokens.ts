/** Injection token for the app's root pino `Logger` (see `createRootLogger`). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
