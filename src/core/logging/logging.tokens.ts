/** Injection token for an optional pino destination stream (tests capture logs through it). */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
